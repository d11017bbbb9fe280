// "Is this venue off-limits?": one search box for a name (fuzzy, any script), an address or a
// coordinate, and "check where I am". The verdict is OFF-LIMITS in red with directive, date and
// reasons, or NOT LISTED with the list version and its date, a caution that not listed is not
// approved, and the nearest listed venue with its distance.
import { api, url, h, errorBox, ApiError } from "./api.js";
import { t, category, reasonList, distance, onLanguageChange } from "./i18n.js";
import { state, directives, todayList, directiveByRef, latestInForce, representative } from "./state.js";

let last = null; // {kind, data} of the verdict on screen, redrawn when the language changes
let generation = 0; // a newer check wins over a slower older one

const $ = (id) => document.getElementById(id);

// Lat/lon (decimal or DMS, with or without hemisphere letters), UTM ("34T 513563 4723390") or
// MGRS ("34TEN1352823436"); anything else is a name or an address.
export function looksLikeCoordinate(text) {
  const s = text.trim();
  if (/^[\s\d.,;:°º˚'′’"″”+\-NSEWnsew]+$/.test(s) && (s.match(/\d+(\.\d+)?/g) || []).length >= 2) return true;
  if (/^\d{1,2}\s*[C-HJ-NP-X]\s+\d{5,7}(\.\d+)?\s*[mE]?\s+\d{6,8}(\.\d+)?\s*[mN]?$/i.test(s)) return true;
  if (/^\d{1,2}\s*[C-HJ-NP-X]\s*[A-HJ-NP-Z]{2}\s*\d{1,5}\s*\d{0,5}$/i.test(s.replace(/\s+/g, " "))) return true;
  return false;
}

export function initCheck() {
  $("check-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runCheck($("q").value);
  });
  $("locate").addEventListener("click", locate);
  onLanguageChange(() => last && render(last));
}

function busy(text) {
  $("verdict").replaceChildren(h("p", { class: "busy" }, text));
}

function fail(err) {
  last = null;
  $("verdict").replaceChildren(errorBox(err));
}

export async function runCheck(text) {
  text = text.trim();
  if (!text) return;
  const mine = ++generation;
  busy(t("checking"));
  try {
    await Promise.all([directives(), todayList()]);
    if (looksLikeCoordinate(text)) {
      try {
        const doc = await api(url("/api/v1/check", { at: text }));
        if (mine === generation) show({ kind: "position", doc });
        return;
      } catch (e) {
        if (!(e instanceof ApiError && e.code === "bad-coordinate")) throw e;
        // Not a coordinate after all: a name or an address with numbers in it.
      }
    }
    const [nameDoc, byAddress] = await Promise.all([
      api(url("/api/v1/check", { name: text })),
      api(url("/api/v1/offlimits", { address: text, limit: 50 })),
    ]);
    const result = { kind: "text", text, nameDoc, byAddress, features: new Map(), nearest: null, similar: [] };
    // Geometry of the venues found by name, to show them on the map.
    const ids = [...nameDoc.matches.map((m) => m.venue_id), ...nameDoc.not_listed.slice(0, 1).map((m) => m.venue_id)];
    await Promise.all(
      ids.slice(0, 6).map(async (id) => {
        try {
          result.features.set(id, await api(`/api/v1/venues/${id}`));
        } catch {
          /* the verdict stands without the map */
        }
      }),
    );
    for (const f of byAddress.features) result.features.set(f.properties.id, f);
    if (nameDoc.verdict !== "off-limits" && byAddress.features.length === 0) {
      // Not listed: how far is the nearest listed venue from the venue this name belongs to?
      const known = nameDoc.not_listed[0] && result.features.get(nameDoc.not_listed[0].venue_id);
      const at = known && representative(known.geometry);
      if (at) {
        const near = await api(url("/api/v1/check", { at: `${at[0].toFixed(7)},${at[1].toFixed(7)}` }));
        if (near.nearest) result.nearest = { place: known.properties.name, match: near.nearest, at };
      }
      // Listed venues whose names are close but below the match threshold: typos worth a look.
      const similar = await api(url("/api/v1/venues", { q: text, limit: 8 }));
      result.similar = similar.features.filter((f) => f.properties.listed).slice(0, 3);
    }
    if (mine === generation) show(result);
  } catch (e) {
    if (mine === generation) fail(e);
  }
}

function locate() {
  if (!window.isSecureContext || !navigator.geolocation) {
    $("verdict").replaceChildren(h("p", { class: "note warn", role: "status" }, t("geoUnavailable")));
    return;
  }
  const mine = ++generation;
  busy(t("locating"));
  navigator.geolocation.getCurrentPosition(
    async (pos) => {
      const { latitude, longitude, accuracy } = pos.coords;
      const at = `${latitude.toFixed(6)}, ${longitude.toFixed(6)}`;
      $("q").value = at;
      try {
        await Promise.all([directives(), todayList()]);
        const doc = await api(url("/api/v1/check", { at }));
        if (mine === generation) show({ kind: "position", doc, accuracy });
      } catch (e) {
        if (mine === generation) fail(e);
      }
    },
    (err) => {
      if (mine === generation) $("verdict").replaceChildren(h("p", { class: "note warn", role: "status" }, t("geoFailed", { msg: err.message || err.code })));
    },
    { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 },
  );
}

function show(result) {
  last = result;
  render(result);
  drawOnMap(result);
}

// --- rendering ---------------------------------------------------------------------------

function venueItem(v, extra = []) {
  const d = directiveByRef(v.directive);
  return h(
    "li",
    { class: "venue" },
    h("p", { class: "venue-name" }, v.name, v.matched_name && v.matched_name !== v.name ? h("span", { class: "muted" }, ` (${t("matchedName", { name: v.matched_name })})`) : null),
    h("p", {}, [category(v.category), v.address, v.municipality].filter(Boolean).join(" · ")),
    h("p", { class: "directive" }, t("directiveLine", { ref: v.directive }), d ? ` — ${d.title}` : ""),
    h("p", {}, h("strong", {}, t("listedSince", { date: v.listed_since })), " · ", t("reasonsLine", { reasons: reasonList(v.reasons) })),
    ...extra,
    h("button", { type: "button", class: "link needs-map", onclick: () => state.map.focusVenue(v.venue_id ?? v.id) || focusFeature(v) }, t("showOnMap")),
  );
}

function focusFeature(v) {
  const f = last?.features?.get(v.venue_id ?? v.id);
  if (f) state.map.fit([], [f]);
}

function metaLine(doc) {
  const latest = latestInForce(doc.as_of);
  return h(
    "p",
    { class: "meta" },
    t("listVersion", { v: doc.list_version, date: doc.as_of }),
    latest ? ` ${t("latestDirective", { ref: latest.ref, date: latest.effective })}` : ` ${t("noneListedNow")}`,
  );
}

function offLimitsBox(basis, venues, doc, extra = []) {
  const shown = venues.slice(0, 10);
  return h(
    "div",
    { class: "verdict off", "data-verdict": "off-limits" },
    h("p", { class: "verdict-word" }, t("offLimits")),
    h("p", { class: "verdict-sub" }, t("offLimitsSub")),
    ...basis.map((b) => h("p", { class: "basis" }, b)),
    h("ul", { class: "venues" }, shown),
    venues.length > shown.length ? h("p", {}, t("andMore", { n: venues.length - shown.length })) : null,
    ...extra,
    metaLine(doc),
  );
}

function notListedBox(doc, extra = []) {
  return h(
    "div",
    { class: "verdict not", "data-verdict": "not-listed" },
    h("p", { class: "verdict-word" }, t("notListed")),
    metaLine(doc),
    h("p", { class: "caution" }, t("notListedNote")),
    ...extra,
  );
}

function nearestLine(match, place) {
  if (!match) return null;
  const text = place
    ? t("nearestTo", { place, name: match.name, d: distance(match.distance_m) })
    : t("nearest", { name: match.name, d: distance(match.distance_m) });
  return h("p", { class: "nearest" }, text, " ", h("button", { type: "button", class: "link needs-map", onclick: () => state.map.focusVenue(match.venue_id) }, t("showOnMap")));
}

function render(result) {
  const area = $("verdict");
  if (result.kind === "position") {
    const doc = result.doc;
    const q = doc.query;
    const where = [
      h("p", { class: "position" }, t("positionLine", { lat: q.lat.toFixed(5), lon: q.lon.toFixed(5), r: q.radius_m })),
      result.accuracy ? h("p", { class: "muted" }, t("accuracy", { m: Math.round(result.accuracy) })) : null,
    ];
    if (doc.verdict === "off-limits") {
      const items = doc.matches.map((m) =>
        venueItem(m, [h("p", {}, m.distance_m === 0 && today_feature(m.venue_id)?.geometry.type !== "Point" ? t("insideFootprint") : t("distanceAway", { d: distance(m.distance_m) }))]),
      );
      area.replaceChildren(offLimitsBox([], items, doc, where));
    } else {
      area.replaceChildren(notListedBox(doc, [...where, nearestLine(doc.nearest)]));
    }
    return;
  }
  const { nameDoc, byAddress, text } = result;
  const seen = new Set();
  const byName = nameDoc.matches.filter((m) => !seen.has(m.venue_id) && seen.add(m.venue_id));
  const atAddress = byAddress.features.map((f) => ({ ...f.properties, venue_id: f.properties.id })).filter((v) => !seen.has(v.venue_id) && seen.add(v.venue_id));
  if (byName.length || atAddress.length) {
    const basis = [];
    if (byName.length) basis.push(t("byName", { q: text }));
    if (atAddress.length) basis.push(t("byAddress", { q: text }));
    area.replaceChildren(offLimitsBox(basis, [...byName, ...atAddress].map((v) => venueItem(v)), nameDoc));
    return;
  }
  const extra = [];
  for (const k of nameDoc.not_listed.slice(0, 3)) {
    const lifted = k.lifted_by ? ` — ${t("liftedBy", { ref: k.lifted_by.directive, date: k.lifted_by.effective, reasons: reasonList(k.lifted_by.reasons) })}` : "";
    extra.push(h("p", { class: "known" }, t("knownNotListed", { name: k.name }), lifted));
  }
  if (result.nearest) extra.push(nearestLine(result.nearest.match, result.nearest.place));
  if (result.similar.length) {
    extra.push(
      h("p", { class: "similar-h" }, t("similar")),
      h(
        "ul",
        { class: "similar" },
        result.similar.map((f) =>
          h("li", {}, h("button", { type: "button", class: "link", onclick: () => { $("q").value = f.properties.name; runCheck(f.properties.name); } }, f.properties.name)),
        ),
      ),
    );
  }
  area.replaceChildren(notListedBox(nameDoc, extra));
}

async function drawOnMap(result) {
  const map = state.map;
  try {
    const today = await todayList();
    if (document.body.dataset.section === "check") map.setVenues(today.features);
  } catch {
    /* the verdict is on screen; the map can wait */
  }
  map.clearQuery();
  if (result.kind === "position") {
    const q = result.doc.query;
    map.showQuery(q.lat, q.lon, q.radius_m);
    const found = [...result.doc.matches, ...(result.doc.nearest ? [result.doc.nearest] : [])].map((m) => today_feature(m.venue_id)).filter(Boolean);
    map.mark(found);
    map.fit([[q.lat, q.lon]], found.slice(0, 1));
    return;
  }
  const features = [...result.features.values()];
  if (result.nearest) {
    const f = today_feature(result.nearest.match.venue_id);
    if (f) features.push(f);
  }
  map.mark(features);
  // A venue found by name is shown with its surroundings: the nearby towns and camps.
  if (features.length) map.fit([], features, 13);
}

function today_feature(id) {
  return state.today?.features.find((f) => f.properties.id === id) || null;
}
