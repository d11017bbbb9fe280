// Loaded first, as a plain script: every form on the page is handled by the page's scripts, so a
// form is never sent the browser's way (a reload that drops the verdict), even when a module
// fails to load or throws before its own submit handler is in place.
"use strict";
document.addEventListener("submit", function (e) {
  e.preventDefault();
}, true);
