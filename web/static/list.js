// The list: as of any date, filtered by municipality and category, sorted, counted, on the map;
// a row centres the map on its venue; downloads in PDF (map), CSV, GeoJSON and KML.
import { api, url, h, showError } from "./api.js";
import { t, category, reasonList, categories, onLanguageChange, locale } from "./i18n.js";
import { state, revealMap } from "./state.js";

const $ = (id) => document.getElementById(id);
const view = { doc: null, sort: "name", dir: 1, selected: null, active: false };

export function initList() {
  $("as-of").addEventListener("change", () => load());
  $("as-of-today").addEventListener("click", () => {
    $("as-of").value = "";
    load();
  });
  $("f-municipality").addEventListener("change", () => render());
  $("f-category").addEventListener("change", () => render());
  for (const th of document.querySelectorAll("#list-table th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.sort;
      view.dir = view.sort === key ? -view.dir : 1;
      view.sort = key;
      render();
    });
  }
  const tbody = document.querySelector("#list-table tbody");
  tbody.addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-id]");
    if (tr) select(Number(tr.dataset.id), tr, { reveal: true });
  });
  tbody.addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr[data-id]");
    if (!tr) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      select(Number(tr.dataset.id), tr, { reveal: true });
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      (e.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling)?.focus();
    }
  });
  onLanguageChange(() => {
    fillCategories();
    if (view.doc) render();
  });
  fillCategories();
}

export async function showList() {
  view.active = true;
  if (!view.doc) await load();
  else drawMap();
}

export function hideList() {
  view.active = false;
}

export async function reloadList() {
  if (view.doc) await load();
}

async function load() {
  const asOf = $("as-of").value;
  $("list-error").replaceChildren();
  try {
    view.doc = await api(url("/api/v1/offlimits", { as_of: asOf }));
    if (!asOf) $("as-of").value = view.doc.as_of;
    fillMunicipalities();
    render();
  } catch (e) {
    showError($("list-error"), e);
  }
}

function fillCategories() {
  const sel = $("f-category");
  const keep = sel.value;
  sel.replaceChildren(h("option", { value: "" }, t("all")), ...categories.map((c) => h("option", { value: c }, category(c))));
  sel.value = keep;
}

function fillMunicipalities() {
  const sel = $("f-municipality");
  const keep = sel.value;
  const names = [...new Set(view.doc.features.map((f) => f.properties.municipality).filter(Boolean))];
  names.sort((a, b) => a.localeCompare(b, locale()));
  if (keep && !names.includes(keep)) names.push(keep);
  sel.replaceChildren(h("option", { value: "" }, t("all")), ...names.map((m) => h("option", { value: m }, m)));
  sel.value = keep;
}

function filtered() {
  const m = $("f-municipality").value;
  const c = $("f-category").value;
  const rows = view.doc.features.filter((f) => (!m || f.properties.municipality === m) && (!c || f.properties.category === c));
  const key = view.sort;
  const value = (f) => (key === "category" ? category(f.properties.category) : String(f.properties[key] ?? ""));
  rows.sort((a, b) => view.dir * value(a).localeCompare(value(b), locale(), { numeric: true }) || a.properties.name.localeCompare(b.properties.name, locale()));
  return rows;
}

function render() {
  const doc = view.doc;
  const rows = filtered();
  const total = doc.features.length;
  $("list-count").textContent =
    total === 0
      ? t("emptyList", { date: doc.as_of })
      : rows.length === total
        ? t("countAll", { n: total, date: doc.as_of, v: doc.list_version })
        : t("countFiltered", { shown: rows.length, n: total, date: doc.as_of });
  for (const th of document.querySelectorAll("#list-table th[data-sort]")) {
    if (th.dataset.sort === view.sort) th.setAttribute("aria-sort", view.dir > 0 ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  }
  const tbody = document.querySelector("#list-table tbody");
  tbody.replaceChildren(
    ...rows.map((f) => {
      const p = f.properties;
      return h(
        "tr",
        { "data-id": p.id, tabindex: "0", "aria-selected": view.selected === p.id ? "true" : "false", title: t("reasonsLine", { reasons: reasonList(p.reasons) }) },
        h("th", { scope: "row" }, p.name, p.aliases && p.aliases.length ? h("span", { class: "muted alias" }, p.aliases.join(" · ")) : null),
        h("td", {}, category(p.category)),
        h("td", {}, p.municipality),
        h("td", {}, p.listed_since),
        h("td", {}, p.directive),
      );
    }),
  );
  updateDownloads();
  if (view.active) drawMap(rows);
}

function drawMap(rows = filtered()) {
  state.map.clearQuery();
  state.map.setTileDate(view.doc.as_of === state.today?.as_of ? "" : view.doc.as_of);
  state.map.setVenues(rows);
  state.map.onVenueClick = (f) => {
    const tr = document.querySelector(`#list-table tr[data-id="${CSS.escape(String(f.properties.id))}"]`);
    select(f.properties.id, tr, { scroll: true });
  };
}

// reveal: a row chosen in the list brings the map into view on a narrow screen; a venue chosen
// on the map brings its row into view instead (scroll).
function select(id, tr, { scroll = false, reveal = false } = {}) {
  view.selected = id;
  for (const row of document.querySelectorAll("#list-table tr[aria-selected='true']")) row.setAttribute("aria-selected", "false");
  if (tr) {
    tr.setAttribute("aria-selected", "true");
    if (scroll) tr.scrollIntoView({ block: "nearest" });
  }
  if (reveal) revealMap();
  state.map.focusVenue(id);
}

function updateDownloads() {
  const asOf = view.doc.as_of;
  const filters = { as_of: asOf, municipality: $("f-municipality").value, category: $("f-category").value };
  const set = (id, href, file) => {
    const a = $(id);
    a.href = href;
    a.setAttribute("download", file);
  };
  set("dl-pdf", url("/map.pdf", { as_of: asOf }), `offlimits-map-${asOf}.pdf`);
  set("dl-csv", url("/api/v1/offlimits", { ...filters, f: "csv" }), `offlimits-${asOf}.csv`);
  set("dl-geojson", url("/api/v1/offlimits", filters), `offlimits-${asOf}.geojson`);
  set("dl-kml", url("/api/v1/offlimits", { ...filters, f: "kml" }), `offlimits-${asOf}.kml`);
}
