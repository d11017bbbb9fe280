// "Is this venue off-limits?": one box for a name (fuzzy, any script), an address or a position,
// and "check where I am". Every answer is one of three verdicts or an error, each unmistakable:
//   OFF-LIMITS (red): the venues, directive, date and reasons;
//   NOT LISTED (neutral, never green): not listed is not approval;
//   AMBIGUOUS (amber): several venues match, each with its status; the user picks one;
//   UNREADABLE (not a verdict): what the server understood and examples of what it reads.
// The server decides whether the text is a position or a name (GET /api/v1/check?q=); a server
// without q= is asked the older way, and a position it cannot read is never retried as a name.
import { api, url, h, errorBox, ApiError } from "./api.js";
import { t, category, reasonList, distance, onLanguageChange } from "./i18n.js";
import { state, directives, todayList, directiveByRef, latestInForce, representative, revealMap } from "./state.js";
import { offlineCheck, offlineBox } from "./offline.js";

let last = null; // the outcome on screen, redrawn when the language changes
let generation = 0; // a newer query wins over an older one still in flight
let inflight = null; // the AbortController of the query in flight
let typing = null; // the debounce timer of search-as-you-type
let serverHasQ = null; // null: not known yet; false: the server answers q= with unknown-parameter

const LIVE_DELAY_MS = 250;
const LIVE_MIN_CHARS = 3;
const $ = (id) => document.getElementById(id);

// Whether the text is written as a position: lat/lon (decimal or DMS, hemisphere letters), UTM
// or MGRS, or anything else made of digits and coordinate punctuation only (which, unread, is an
// error, never a name). A name or an address has a word in it.
export function looksLikeCoordinate(text) {
  const s = text.trim();
  if ((s.match(/\d+/g) || []).length < 2) return false;
  // Grid zones ("34T", "4N") and MGRS squares ("34TEN"), each followed by digits.
  const rest = s.replace(/\d{1,2}\s*[C-HJ-NP-X](\s*[A-HJ-NP-Z]{2})?(?=\s*\d)/gi, " ");
  // What is left may hold single hemisphere letters and metre marks, nothing word-like.
  if (/\p{L}{2,}/u.test(rest)) return false;
  return /^[\p{Nd}\sNSEWnsewm.,;:°º˚'′’"″”+\-–`´]*$/u.test(rest);
}

export function initCheck() {
  $("check-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(typing);
    runCheck($("q").value);
  });
  $("q").addEventListener("input", typed);
  $("locate").addEventListener("click", locate);
  onLanguageChange(() => last && render(last));
}

// Search as you type, for names only: a position is checked when submitted.
function typed() {
  clearTimeout(typing);
  const text = $("q").value.trim();
  if (text.length < LIVE_MIN_CHARS && !looksLikeCoordinate(text)) {
    cancel();
    return;
  }
  if (looksLikeCoordinate(text)) {
    cancel();
    $("verdict").replaceChildren(h("p", { class: "hint pending" }, t("positionPending")));
    return;
  }
  typing = setTimeout(() => runCheck(text), LIVE_DELAY_MS);
}

// Whatever is in flight or on screen belongs to an older query.
function cancel() {
  ++generation;
  inflight?.abort();
  inflight = null;
  last = null;
  $("verdict").replaceChildren();
}

function begin() {
  inflight?.abort();
  inflight = new AbortController();
  return { mine: ++generation, signal: inflight.signal };
}

const current = (mine) => mine === generation;

function busy(text) {
  $("verdict").replaceChildren(h("p", { class: "busy" }, text));
}

function fail(err) {
  last = null;
  $("verdict").replaceChildren(errorBox(err));
}

const aborted = (e) => e && e.name === "AbortError";

export async function runCheck(text) {
  text = text.trim();
  if (!text) return;
  const { mine, signal } = begin();
  busy(t("checking"));
  if (navigator.onLine === false) return checkOffline(text, mine);
  try {
    // For the list's version line and directive titles; a check does not wait on their failure.
    await Promise.all([directives(), todayList()]).catch(() => {});
    let outcome = null;
    if (serverHasQ !== false) {
      try {
        const doc = await api(url("/api/v1/check", { q: text }), { signal });
        serverHasQ = true;
        outcome = await fromVerdict(doc, text, signal);
      } catch (e) {
        if (e instanceof ApiError && e.status === 400 && e.code === "unknown-parameter" && serverHasQ !== true) serverHasQ = false;
        else throw e;
      }
    }
    if (!outcome) outcome = await olderServer(text, signal);
    if (current(mine)) show(outcome);
  } catch (e) {
    if (aborted(e) || !current(mine)) return;
    if (e instanceof ApiError && e.code === "bad-coordinate") show(unreadable(text, e));
    else if (e instanceof ApiError && e.status === 0) await checkOffline(text, mine);
    else fail(e);
  }
}

// No network: the check runs in the page against the stored, verified publication (offline.js).
async function checkOffline(text, mine) {
  try {
    const outcome = await offlineCheck(text, looksLikeCoordinate);
    if (current(mine)) show(outcome);
  } catch (e) {
    if (current(mine)) fail(e);
  }
}

// Back online: an answer given offline is asked again of the server.
export function recheckOnline() {
  if (last && last.kind === "offline" && last.text) runCheck(last.text);
}

function unreadable(text, e) {
  const examples = Array.isArray(e.detail?.examples) ? e.detail.examples.map(String) : [];
  return { kind: "unreadable", text, message: e.message, examples };
}

// The server's verdict document (from q=, at= or name=) as one outcome for render(). Matches are
// split by status: the listed ones make the red list, the others are known venues not listed;
// an ambiguous answer keeps them all as candidates.
async function fromVerdict(doc, text, signal, extra = {}) {
  const q = doc.query;
  const position = q && typeof q.lat === "number" && typeof q.lon === "number" ? { lat: q.lat, lon: q.lon, radius_m: q.radius_m } : null;
  const all = unique(doc.matches || []);
  const ambiguous = doc.verdict === "ambiguous";
  const outcome = {
    kind: "verdict",
    text,
    verdict: doc.verdict,
    doc,
    warnings: Array.isArray(doc.warnings) ? doc.warnings : [],
    matches: ambiguous ? all : all.filter((m) => statusOf(m) === "off-limits"),
    known: unique([...(ambiguous ? [] : all.filter((m) => statusOf(m) !== "off-limits")), ...(doc.not_listed || [])]),
    position,
    nearest: doc.nearest ? { match: doc.nearest } : null,
    basis: [],
    similar: [],
    features: new Map(),
    picked: null,
    ...extra,
  };
  if (!position) await byName(outcome, text, signal);
  return outcome;
}

function unique(matches) {
  const seen = new Set();
  return matches.filter((m) => !seen.has(m.venue_id) && seen.add(m.venue_id));
}

// A name or an address (whichever server answered): the listed venues at a matching address
// count too; for a venue that is not listed, the nearest listed venue and listed venues with
// similar names (typos worth a look).
async function byName(o, text, signal) {
  const byAddress = await api(url("/api/v1/offlimits", { address: text, limit: 50 }), { signal });
  const seen = new Set(o.matches.map((m) => m.venue_id));
  const atAddress = byAddress.features.map((f) => ({ ...f.properties, venue_id: f.properties.id })).filter((v) => !seen.has(v.venue_id) && seen.add(v.venue_id));
  for (const f of byAddress.features) o.features.set(f.properties.id, f);
  if (o.verdict !== "ambiguous") {
    if (o.matches.some((m) => m.matched_name)) o.basis.push(t("byName", { q: text }));
    if (atAddress.length) {
      o.basis.push(t("byAddress", { q: text }));
      o.matches = [...o.matches, ...atAddress];
      o.verdict = "off-limits";
    }
  }
  await venueShapes(o, signal);
  if (o.verdict !== "not-listed") return;
  // Not listed: how far is the nearest listed venue from the venue this name belongs to?
  const known = o.known[0] && o.features.get(o.known[0].venue_id);
  const at = known && representative(known.geometry);
  if (at && !o.nearest) {
    const near = await api(url("/api/v1/check", { at: `${at[0].toFixed(7)},${at[1].toFixed(7)}` }), { signal });
    if (near.nearest) o.nearest = { place: known.properties.name, match: near.nearest };
  }
  const similar = await api(url("/api/v1/venues", { q: text, limit: 8 }), { signal });
  o.similar = similar.features.filter((f) => f.properties.listed && !seen.has(f.properties.id)).slice(0, 3);
}

// The shapes of venues found by name (listed or not): for the map, and for the distance from a
// known venue that is not listed to the nearest listed one.
async function venueShapes(outcome, signal) {
  const ids = [...outcome.matches.map((m) => m.venue_id), ...outcome.known.slice(0, 1).map((m) => m.venue_id)];
  await Promise.all(
    [...new Set(ids)].slice(0, 6).map(async (id) => {
      if (outcome.features.has(id)) return;
      const listed = todayFeature(id);
      if (listed) return outcome.features.set(id, listed);
      try {
        outcome.features.set(id, await api(`/api/v1/venues/${encodeURIComponent(id)}`, { signal }));
      } catch (e) {
        if (aborted(e)) throw e;
        /* the verdict stands without the map */
      }
    }),
  );
}

// A server without q=: the page decides. A position goes to at= and only there (unread, it is an
// error, never a name); anything else is a name (name=) and an address.
async function olderServer(text, signal) {
  const doc = await api(url("/api/v1/check", looksLikeCoordinate(text) ? { at: text } : { name: text }), { signal });
  return fromVerdict(doc, text, signal);
}

function locate() {
  clearTimeout(typing);
  if (!window.isSecureContext || !navigator.geolocation) {
    $("verdict").replaceChildren(h("p", { class: "note warn", role: "status" }, t("geoUnavailable")));
    return;
  }
  const { mine, signal } = begin();
  busy(t("locating"));
  navigator.geolocation.getCurrentPosition(
    async (pos) => {
      const { latitude, longitude, accuracy } = pos.coords;
      const at = `${latitude.toFixed(6)}, ${longitude.toFixed(6)}`;
      $("q").value = at;
      try {
        await Promise.all([directives(), todayList()]).catch(() => {});
        const doc = await api(url("/api/v1/check", { at }), { signal });
        if (current(mine)) show(await fromVerdict(doc, at, signal, { accuracy }));
      } catch (e) {
        if (aborted(e) || !current(mine)) return;
        if (e instanceof ApiError && e.status === 0) await checkOffline(at, mine);
        else fail(e);
      }
    },
    (err) => {
      if (current(mine)) $("verdict").replaceChildren(h("p", { class: "note warn", role: "status" }, t("geoFailed", { msg: err.message || err.code })));
    },
    { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 },
  );
}

function show(outcome) {
  last = outcome;
  render(outcome);
  drawOnMap(outcome);
}

// --- rendering ---------------------------------------------------------------------------

const statusOf = (m) => m.status || (m.directive ? "off-limits" : "not-listed");

function showOnMapButton(v) {
  if (!state.map.available) return null;
  return h("button", { type: "button", class: "link needs-map", onclick: () => {
    revealMap();
    return state.map.focusVenue(v.venue_id ?? v.id) || focusFeature(v);
  } }, t("showOnMap"));
}

function nameLine(v) {
  return h(
    "p",
    { class: "venue-name" },
    // A name keeps its own direction inside a line of the other (Latin in Arabic, Arabic in Latin).
    h("bdi", {}, v.name),
    v.matched_name && v.matched_name !== v.name ? h("span", { class: "muted matched" }, ` (${t("matchedName", { name: v.matched_name })})`) : null,
  );
}

function venueItem(v, extra = []) {
  const d = directiveByRef(v.directive);
  return h(
    "li",
    { class: "venue" },
    nameLine(v),
    h("p", {}, [v.category ? category(v.category) : null, v.address, v.municipality].filter(Boolean).join(" · ")),
    v.directive ? h("p", { class: "directive" }, t("directiveLine", { ref: v.directive }), d ? ` — ${d.title}` : "") : null,
    v.listed_since ? h("p", {}, h("strong", {}, t("listedSince", { date: v.listed_since })), " · ", t("reasonsLine", { reasons: reasonList(v.reasons) })) : null,
    distanceLine(v),
    ...extra,
    showOnMapButton(v),
  );
}

function distanceLine(v) {
  if (typeof v.distance_m !== "number") return null;
  const inside = v.distance_m === 0 && todayFeature(v.venue_id)?.geometry?.type && todayFeature(v.venue_id).geometry.type !== "Point";
  return h("p", {}, inside ? t("insideFootprint") : t("distanceAway", { d: distance(v.distance_m) }));
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
    latest ? ` ${t("latestDirective", { ref: latest.ref, date: latest.effective })}` : state.directives ? ` ${t("noneListedNow")}` : "",
  );
}

// Warnings come first and stand out; one with an alternative offers to check that instead.
function warningsBlock(warnings) {
  if (!warnings.length) return null;
  return h(
    "div",
    { class: "warnings", role: "alert" },
    warnings.map((w) =>
      h(
        "div",
        { class: "warning", "data-code": w.code || "" },
        h("p", {}, h("strong", {}, `${t("warning")}: `), w.message || w.code || ""),
        w.alternative && w.alternative.at
          ? h("button", { type: "button", class: "secondary small alternative", onclick: () => checkInstead(String(w.alternative.at)) }, t("checkInstead", { at: w.alternative.at }))
          : null,
      ),
    ),
  );
}

function checkInstead(at) {
  clearTimeout(typing);
  $("q").value = at;
  runCheck(at);
}

function positionLines(o) {
  if (!o.position) return [];
  const p = o.position;
  return [
    h("p", { class: "position" }, t("positionLine", { lat: p.lat.toFixed(5), lon: p.lon.toFixed(5), r: p.radius_m ?? "" })),
    o.accuracy ? h("p", { class: "muted" }, t("accuracy", { m: Math.round(o.accuracy) })) : null,
  ];
}

function nearestLine(nearest) {
  if (!nearest) return null;
  const { match, place } = nearest;
  const text = place
    ? t("nearestTo", { place, name: match.name, d: distance(match.distance_m) })
    : t("nearest", { name: match.name, d: distance(match.distance_m) });
  return h("p", { class: "nearest" }, text, " ", showOnMapButton(match));
}

function offLimitsBox(o, venues) {
  const shown = venues.slice(0, 10);
  return h(
    "div",
    { class: "verdict off", "data-verdict": "off-limits" },
    warningsBlock(o.warnings),
    h("p", { class: "verdict-word" }, t("offLimits")),
    h("p", { class: "verdict-sub" }, t("offLimitsSub")),
    o.picked ? h("p", { class: "basis" }, t("picked", { q: o.text })) : null,
    ...o.basis.map((b) => h("p", { class: "basis" }, b)),
    ...positionLines(o),
    h("ul", { class: "venues" }, shown.map((v) => venueItem(v))),
    venues.length > shown.length ? h("p", {}, t("andMore", { n: venues.length - shown.length })) : null,
    o.picked ? backButton(o) : null,
    metaLine(o.doc),
  );
}

function notListedBox(o, extra = []) {
  return h(
    "div",
    { class: "verdict not", "data-verdict": "not-listed" },
    warningsBlock(o.warnings),
    h("p", { class: "verdict-word" }, t("notListed")),
    o.picked ? h("p", { class: "basis" }, t("picked", { q: o.text })) : null,
    metaLine(o.doc),
    h("p", { class: "caution" }, t("notListedNote")),
    ...positionLines(o),
    ...extra,
    o.picked ? backButton(o) : null,
  );
}

function ambiguousBox(o) {
  return h(
    "div",
    { class: "verdict amb", "data-verdict": "ambiguous" },
    warningsBlock(o.warnings),
    h("p", { class: "verdict-word" }, t("ambiguous")),
    h("p", { class: "verdict-sub" }, t("ambiguousSub")),
    ...positionLines(o),
    h(
      "ul",
      { class: "candidates" },
      o.matches.map((m) => {
        const off = statusOf(m) === "off-limits";
        return h(
          "li",
          { class: "candidate", "data-status": off ? "off-limits" : "not-listed" },
          h("span", { class: off ? "tag red" : "tag" }, off ? t("tagOffLimits") : t("notListedTag")),
          nameLine(m),
          h("p", {}, [m.category ? category(m.category) : null, m.address, m.municipality].filter(Boolean).join(" · ")),
          off && m.directive ? h("p", { class: "directive" }, t("directiveLine", { ref: m.directive }), m.listed_since ? ` · ${t("listedSince", { date: m.listed_since })}` : "") : null,
          distanceLine(m),
          h("button", { type: "button", class: "secondary small pick", "aria-label": `${t("pickThis")}: ${m.name}`, onclick: () => pick(o, m) }, t("pickThis")),
        );
      }),
    ),
    metaLine(o.doc),
  );
}

// One candidate of an ambiguous answer, shown as its own verdict (from the same answer, same list
// version); the way back lists them all again.
function pick(o, m) {
  const one = { ...o, verdict: statusOf(m), matches: statusOf(m) === "off-limits" ? [m] : [], known: [], picked: { from: o, match: m }, nearest: null, similar: [] };
  show(one);
}

function backButton(o) {
  return h("button", { type: "button", class: "link back", onclick: () => show(o.picked.from) }, t("backToCandidates"));
}

function unreadableBox(o) {
  return h(
    "div",
    { class: "unreadable", "data-outcome": "unreadable", role: "alert" },
    h("p", { class: "verdict-word" }, t("unreadable")),
    h("p", { class: "verdict-sub" }, t("unreadableSub")),
    h("p", { class: "message" }, o.message),
    o.examples.length
      ? [h("p", {}, t("examplesLine")), h("ul", { class: "examples" }, o.examples.map((x) => h("li", {}, h("code", {}, x))))]
      : h("p", { class: "formats" }, t("formatsLine")),
  );
}

function render(o) {
  const area = $("verdict");
  if (o.kind === "unreadable") return area.replaceChildren(unreadableBox(o));
  if (o.kind === "offline") return area.replaceChildren(offlineBox(o));
  if (o.verdict === "off-limits") return area.replaceChildren(offLimitsBox(o, o.matches));
  if (o.verdict === "ambiguous") return area.replaceChildren(ambiguousBox(o));
  if (o.verdict !== "not-listed") return fail(new Error(`unexpected verdict ${JSON.stringify(o.verdict)}`));
  const extra = [];
  if (o.picked) extra.push(h("ul", { class: "venues" }, venueItem(o.picked.match)));
  for (const k of o.known.slice(0, 3)) {
    const lifted = k.lifted_by ? ` — ${t("liftedBy", { ref: k.lifted_by.directive, date: k.lifted_by.effective, reasons: reasonList(k.lifted_by.reasons) })}` : "";
    extra.push(h("p", { class: "known" }, t("knownNotListed", { name: k.name }), lifted));
  }
  extra.push(nearestLine(o.nearest));
  if (o.similar.length) {
    extra.push(
      h("p", { class: "similar-h" }, t("similar")),
      h(
        "ul",
        { class: "similar" },
        o.similar.map((f) => h("li", {}, h("button", { type: "button", class: "link", onclick: () => checkInstead(f.properties.name) }, f.properties.name))),
      ),
    );
  }
  area.replaceChildren(notListedBox(o, extra));
}

async function drawOnMap(o) {
  const map = state.map;
  if (!map.available) return;
  try {
    const today = await todayList();
    if (document.body.dataset.section === "check") map.setVenues(today.features);
  } catch {
    /* the verdict is on screen; the map can wait */
  }
  if (last !== o) return;
  map.clearQuery();
  if (o.kind !== "verdict") return;
  const found = [];
  for (const m of o.picked ? [o.picked.match] : o.matches) {
    const f = todayFeature(m.venue_id) || o.features.get(m.venue_id);
    if (f) found.push(f);
  }
  if (o.position) {
    const p = o.position;
    map.showQuery(p.lat, p.lon, p.radius_m || 0);
    const near = o.nearest && todayFeature(o.nearest.match.venue_id);
    map.mark(near ? [...found, near] : found);
    map.fit([[p.lat, p.lon]], found.length ? found.slice(0, 1) : near ? [near] : []);
    return;
  }
  if (!o.picked) {
    const known = o.known[0] && o.features.get(o.known[0].venue_id);
    if (known && !found.includes(known)) found.push(known);
  }
  if (o.nearest) {
    const f = todayFeature(o.nearest.match.venue_id);
    if (f) found.push(f);
  }
  map.mark(found);
  // A venue found by name is shown with its surroundings: the nearby towns and camps.
  if (found.length) map.fit([], found, 13);
}

function todayFeature(id) {
  return state.today?.features.find((f) => f.properties.id === id) || null;
}
