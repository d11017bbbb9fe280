// keepout's web page: three sections (check, list, management) beside one map, switched by the
// address's #fragment so the browser's back button and links work, in the mission's languages. The map
// (Leaflet) is loaded last and apart: if it is missing or fails, everything else still works.
import { initialLanguage, setLanguage, lang, loadLanguages, mission } from "./i18n.js";
import { NoMap, loadMap } from "./mapless.js";
import { state, todayList, onListChanged, listChanged } from "./state.js";
import { initCheck, recheckOnline } from "./check.js";
import { keepLatest } from "./offline.js";
import { initPublications, refreshPublications } from "./publications.js";
import { initDue } from "./due.js";
import { initList, showList, hideList, reloadList } from "./list.js";
import { initManage, showManage, hideManage } from "./manage.js";

const sections = ["check", "list", "manage"];

async function showSection() {
  let name = location.hash.replace(/^#/, "").split("?")[0];
  if (!sections.includes(name)) name = "check";
  for (const s of sections) {
    document.getElementById(s).hidden = s !== name;
    const tab = document.getElementById(`tab-${s}`);
    if (s === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  document.body.dataset.section = name;
  state.map.invalidate();
  if (name !== "list") {
    hideList();
    state.map.setTileDate("");
  }
  if (name !== "manage") hideManage();
  if (name === "check") {
    state.map.onVenueClick = null;
    try {
      state.map.setVenues((await todayList()).features);
    } catch {
      /* the check itself reports errors */
    }
  } else if (name === "list") {
    await showList();
  } else {
    await showManage();
  }
}

async function main() {
  // The check form first: a check works before, and without, anything else on the page.
  state.map = new NoMap();
  initCheck();
  const select = document.getElementById("lang");
  const offered = await loadLanguages();
  select.replaceChildren(
    ...offered.map(({ code, name, lang: tag }) => {
      const o = document.createElement("option");
      o.value = code;
      o.lang = tag;
      o.textContent = name;
      return o;
    }),
  );
  setLanguage(initialLanguage());
  select.value = lang();
  select.addEventListener("change", () => setLanguage(select.value));

  initList();
  initManage();
  initPublications();
  initDue();
  onListChanged(async () => {
    await reloadList();
    if (document.body.dataset.section === "check") state.map.setVenues((await todayList()).features);
  });
  window.addEventListener("hashchange", showSection);
  // The section at once without the map, then again on the map once it is there.
  const first = showSection().catch(() => {});
  showExamplePositions(mission()?.bbox);
  state.map = await loadMap(document.getElementById("map"), mission()?.bbox);
  await first;
  try {
    await showSection();
  } finally {
    document.body.dataset.ready = "true";
  }
}

// The example position in the input boxes is the centre of the mission's area (the page names no
// place of its own); without an area the boxes show none.
function showExamplePositions(bbox) {
  if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(Number.isFinite)) return;
  const position = `${((bbox[1] + bbox[3]) / 2).toFixed(4)}, ${((bbox[0] + bbox[2]) / 2).toFixed(4)}`;
  for (const id of ["q", "v-coord"]) {
    const input = document.getElementById(id);
    if (input) input.placeholder = position;
  }
}

// Offline: the service worker keeps the page, the map library and the tiles seen; the page keeps
// the latest signed publication (offline.js). data-offline-ready says both are in place.
async function prepareOffline() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    document.body.dataset.serviceWorker = "ready";
  } catch (e) {
    console.warn(`keepout: no offline page (${e && e.message ? e.message : e})`);
    return;
  }
  await storePublication();
}

async function storePublication() {
  try {
    const p = await keepLatest();
    document.body.dataset.offlineReady = p ? "true" : "no-publication";
  } catch {
    /* offline now: what was stored stays */
  }
}

// Back online the page refreshes by itself: the list, the latest publication, and an answer
// given offline is asked again.
window.addEventListener("online", async () => {
  document.body.dataset.network = "online";
  await storePublication();
  await listChanged().catch(() => {});
  await refreshPublications().catch(() => {});
  recheckOnline();
});
window.addEventListener("offline", () => (document.body.dataset.network = "offline"));

main()
  .then(prepareOffline)
  .catch((e) => console.error(e));
