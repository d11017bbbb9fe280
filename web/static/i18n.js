// Interface strings, one file per language in /static/i18n/<code>.json ({language, name, lang,
// dir, strings}); /static/i18n/languages.json names the files there are. The page offers the
// mission's languages (GET /api/v1/mission) that have a file, plus English; every file when the
// mission names none. t(key, params) fills {name} placeholders; elements with data-i18n get their
// text, data-i18n-aria their aria-label. Arabic is laid out right to left (dir="rtl").
const files = {}; // code → the language's file, once loaded
let offered = ["en"];
let current = "en";
// What GET /api/v1/mission said (name, zone, languages, bbox), or null when it could not be read.
let missionProfile = null;
const listeners = [];

export const categories = ["bar", "nightclub", "brothel", "hotel", "motel", "restaurant", "cafe", "massage", "private-house", "other"];
export const placeReasons = ["trafficking", "prostitution", "organized-crime", "minors", "health-safety", "force-protection", "other"];
export const liftReasons = ["corrective-action", "closed", "listed-in-error", "other"];

async function getJson(path) {
  try {
    const r = await fetch(path, { cache: "no-cache" });
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
}

// The page's file for a BCP 47 tag: the tag itself, else its primary language ("sr-Latn" → sr).
function fileFor(tag, available) {
  const t = String(tag).toLowerCase();
  if (available.includes(t)) return t;
  const base = t.split("-")[0];
  return available.includes(base) ? base : null;
}

// Loads the languages the page offers and their files. English always, and first to load: a
// string missing from another language is shown in English.
export async function loadLanguages() {
  const [available, mission] = await Promise.all([getJson("/static/i18n/languages.json"), getJson("/api/v1/mission")]);
  missionProfile = mission && typeof mission === "object" ? mission : null;
  const known = Array.isArray(available) ? available.map(String) : ["en"];
  const wanted = Array.isArray(mission?.languages) && mission.languages.length ? mission.languages : known;
  const codes = [];
  for (const tag of [...wanted, "en"]) {
    const code = fileFor(tag, known);
    if (code && !codes.includes(code)) codes.push(code);
  }
  const loaded = await Promise.all(codes.map((c) => getJson(`/static/i18n/${c}.json`)));
  offered = [];
  codes.forEach((c, i) => {
    const f = loaded[i];
    if (f && typeof f.strings === "object") {
      files[c] = f;
      offered.push(c);
    }
  });
  if (!files.en) files.en = { language: "en", name: "English", lang: "en", dir: "ltr", strings: {} };
  if (!offered.includes("en")) offered.push("en");
  return offered.map((c) => ({ code: c, name: files[c].name || c, lang: files[c].lang || c }));
}

export function mission() {
  return missionProfile;
}

export function languages() {
  return offered;
}

export function lang() {
  return current;
}

// The BCP 47 tag of the page's language ("sr-Cyrl"), for formatting and sorting.
export function locale() {
  return files[current]?.lang || current;
}

export function t(key, params = {}) {
  const s = files[current]?.strings?.[key] ?? files.en?.strings?.[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export const category = (code) => t(`cat_${code}`);
export const reason = (code) => t(`reason_${code}`);
export const reasonList = (codes) => (codes || []).map(reason).join(", ");

export function initialLanguage() {
  const saved = localStorage.getItem("keepout.lang");
  if (saved && offered.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || "en"]) {
    const base = String(l).toLowerCase().split("-")[0];
    if (offered.includes(base)) return base;
    if ((base === "sh" || base === "bs" || base === "hr" || base === "cnr") && offered.includes("sr")) return "sr";
  }
  return offered[0] || "en";
}

export function setLanguage(code) {
  if (!offered.includes(code) || !files[code]) code = "en";
  current = code;
  localStorage.setItem("keepout.lang", code);
  document.documentElement.lang = locale();
  document.documentElement.dir = files[code]?.dir === "rtl" ? "rtl" : "ltr";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  document.title = `${t("title")} — keepout`;
  for (const f of listeners) f(code);
}

export function onLanguageChange(f) {
  listeners.push(f);
}

// Distances in metres or kilometres, in the page's language.
export function distance(m) {
  if (m < 1000) return `${Math.round(m).toLocaleString(locale())} m`;
  return `${(m / 1000).toLocaleString(locale(), { maximumFractionDigits: m < 10000 ? 1 : 0 })} km`;
}
