// The page without a network. Online, the latest signed publication (its JSON bytes exactly as
// signed, the raw Ed25519 signature, the mission's public key) is kept in the browser's cache
// storage, beside what the service worker (/sw.js) keeps. When a check cannot reach the server,
// it runs here against that publication, after its signature has been verified with the public
// key (WebCrypto Ed25519); a publication that does not verify, or a browser that cannot verify,
// gives no verdict. Every offline answer says which publication it comes from.
//
// Offline name matching is simpler than the server's: names and aliases folded (NFKD, marks
// dropped, lower case, Serbian Cyrillic to Latin, punctuation to spaces) compared whole, then
// within a small edit distance. Positions: decimal "lat, lon" only, off-limits within the check
// radius of a listed venue or inside its footprint.
import { h } from "./api.js";
import { t, category, reasonList, distance } from "./i18n.js";

const CACHE = "keepout-publication-v1";
const DOC = "/offline/publication.json";
const SIG = "/offline/publication.json.sig";
const KEY = "/offline/publication-key.pem";
export const CHECK_RADIUS_M = 75; // analysis::kDefaultCheckRadius

const storageAvailable = () => typeof caches !== "undefined" && window.isSecureContext;

// --- keeping the latest publication -------------------------------------------------------------

async function bytes(path) {
  const r = await fetch(path, { cache: "no-cache" });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.arrayBuffer();
}

// Online: stores the latest publication if it is not the one stored. Returns its summary, or
// null when the server has none (or the browser keeps no caches).
export async function keepLatest() {
  if (!storageAvailable()) return null;
  const r = await fetch("/api/v1/publications", { cache: "no-cache", headers: { Accept: "application/json" } });
  if (!r.ok) return null;
  const list = await r.json();
  const latest = (list.publications || []).find((p) => p.number === list.latest);
  if (!latest) return null;
  const cache = await caches.open(CACHE);
  const stored = await cache.match(DOC);
  if (stored && stored.headers.get("X-Publication") === String(latest.number) && (await cache.match(SIG)) && (await cache.match(KEY))) {
    document.body.dataset.publication = String(latest.number);
    return latest;
  }
  const [doc, sig, key] = await Promise.all([bytes(latest.links.document), bytes(latest.links.signature), bytes(latest.links.key)]);
  const meta = { "X-Publication": String(latest.number) };
  // The signature and key first: the document's presence says all three are there.
  await cache.put(SIG, new Response(sig, { headers: { ...meta, "Content-Type": "application/octet-stream" } }));
  await cache.put(KEY, new Response(key, { headers: { ...meta, "Content-Type": "application/x-pem-file" } }));
  await cache.put(DOC, new Response(doc, { headers: { ...meta, "Content-Type": "application/json" } }));
  document.body.dataset.publication = String(latest.number);
  return latest;
}

// --- verifying it ------------------------------------------------------------------------------

function pemToDer(pem) {
  const b64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "");
  const raw = atob(b64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

// {status: "verified", doc} | {status: "none"} | {status: "unverified", number?} | {status: "cannot-verify", number?}
export async function storedPublication() {
  if (!storageAvailable()) return { status: "none" };
  const cache = await caches.open(CACHE);
  const [d, s, k] = await Promise.all([cache.match(DOC), cache.match(SIG), cache.match(KEY)]);
  if (!d || !s || !k) return { status: "none" };
  const [doc, sig, pem] = await Promise.all([d.arrayBuffer(), s.arrayBuffer(), k.text()]);
  const number = d.headers.get("X-Publication");
  let key;
  try {
    if (!crypto?.subtle) throw new Error("no WebCrypto");
    key = await crypto.subtle.importKey("spki", pemToDer(pem), { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return { status: "cannot-verify", number };
  }
  let ok = false;
  try {
    ok = sig.byteLength === 64 && (await crypto.subtle.verify({ name: "Ed25519" }, key, sig, doc));
  } catch {
    ok = false;
  }
  if (!ok) return { status: "unverified", number };
  let parsed;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(doc));
  } catch {
    return { status: "unverified", number };
  }
  if (!parsed || !Array.isArray(parsed.venues)) return { status: "unverified", number };
  return { status: "verified", doc: parsed };
}

// --- names ---------------------------------------------------------------------------------------

const CYRILLIC = {
  а: "a", б: "b", в: "v", г: "g", д: "d", ђ: "dj", е: "e", ж: "z", з: "z", и: "i", ј: "j", к: "k", л: "l", љ: "lj",
  м: "m", н: "n", њ: "nj", о: "o", п: "p", р: "r", с: "s", т: "t", ћ: "c", у: "u", ф: "f", х: "h", ц: "c", ч: "c",
  џ: "dz", ш: "s", й: "j", ы: "y", э: "e", ю: "ju", я: "ja", ь: "", ъ: "", ё: "e",
};

export function fold(text) {
  return String(text)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\u0400-\u04ff]/g, (c) => CYRILLIC[c] ?? c)
    .replace(/đ/g, "dj")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function editDistance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

const allowance = (s) => (s.length < 5 ? 0 : s.length < 10 ? 1 : 2);

function namesOf(v) {
  return [v.name, ...(v.aliases || []), ...(v.former_names || [])].filter((n) => typeof n === "string" && n);
}

function byName(doc, text) {
  const q = fold(text);
  if (!q) return { verdict: "not-listed", matches: [] };
  const exact = [];
  const near = [];
  for (const v of doc.venues) {
    let best = Infinity;
    let matched = null;
    for (const n of namesOf(v)) {
      const f = fold(n);
      const d = f === q ? 0 : editDistance(f, q, allowance(q));
      if (d < best) {
        best = d;
        matched = n;
      }
    }
    if (best === 0) exact.push({ v, matched });
    else if (best <= allowance(q)) near.push({ v, matched, d: best });
  }
  if (exact.length) return { verdict: "off-limits", matches: exact };
  near.sort((a, b) => a.d - b.d);
  if (near.length === 1) return { verdict: "off-limits", matches: near };
  if (near.length > 1) return { verdict: "ambiguous", matches: near };
  return { verdict: "not-listed", matches: [] };
}

// --- positions -----------------------------------------------------------------------------------

// Offline the page reads three forms, each strictly, as the server reads them: decimal "lat, lon"
// (comma, semicolon or spaces between), degrees-minutes-seconds with the hemisphere letters
// (42°39'47.8"N 21°09'54.0"E, 42d39m47.8sN 21d9m54sE), and MGRS with its grid zone (34TEN1352823436,
// 34T EN 13528 23436; the centre of the square, through the mgrs package). UTM, and MGRS without
// its zone, need the server. Anything else offline is unread: null, never a guess.
export async function readPosition(text) {
  const s = String(text).trim();
  if (s.length > 200) return null; // longer than the server reads (kMaxPositionBytes): unread
  return readDecimal(s) ?? readDms(s) ?? (await readMgrs(s));
}

function inRange(lat, lon) {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

function readDecimal(s) {
  const m = s.match(/^([+-]?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*([+-]?\d{1,3}(?:\.\d+)?)$/);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return inRange(lat, lon) ? { lat, lon, form: "decimal" } : null;
}

// One angle: degrees with their mark, then minutes and seconds with theirs, and one hemisphere
// letter before or after; minutes and seconds below 60, a fraction on the last part only.
const CORE = String.raw`(\d{1,3}(?:\.\d+)?)\s*[°º˚D]\s*(?:(\d{1,2}(?:\.\d+)?)\s*['M]\s*(?:(\d{1,2}(?:\.\d+)?)\s*(?:"|''|S(?=\s*[NSEW]))\s*)?)?`;
const ANGLES = [String.raw`([NSEW])\s*${CORE}`, String.raw`${CORE}\s*([NSEW])`];
const DMS = ANGLES.flatMap((a, i) => ANGLES.map((b, j) => ({ re: new RegExp(String.raw`^${a}\s*[,;\s]\s*${b}$`), before: [i === 0, j === 0] })));

function angle(groups, letterFirst) {
  const [letter, d, m, sec] = letterFirst ? groups : [groups[3], groups[0], groups[1], groups[2]];
  const parts = [d, m, sec].filter((x) => x !== undefined);
  if (parts.slice(0, -1).some((x) => x.includes("."))) return null;
  const [deg, min = 0, secs = 0] = parts.map(Number);
  if (min >= 60 || secs >= 60) return null;
  const value = deg + min / 60 + secs / 3600;
  return { hemisphere: letter, value: letter === "S" || letter === "W" ? -value : value };
}

function readDms(s) {
  const t = s.replace(/[′’‘`´]/g, "'").replace(/[″”“]/g, '"').toUpperCase();
  for (const { re, before } of DMS) {
    const m = t.match(re);
    if (!m) continue;
    const lat = angle(m.slice(1, 5), before[0]);
    const lon = angle(m.slice(5, 9), before[1]);
    // Latitude first, always, as the server reads it: letters that disagree are not a swap.
    if (!lat || !lon || !"NS".includes(lat.hemisphere) || !"EW".includes(lon.hemisphere)) return null;
    return inRange(lat.value, lon.value) ? { lat: lat.value, lon: lon.value, form: "dms" } : null;
  }
  return null;
}

let mgrsLibrary = null;
async function readMgrs(s) {
  const t = s.toUpperCase().replace(/\s+/g, "");
  const m = t.match(/^(\d{1,2})([C-HJ-NP-X])([A-HJ-NP-Z]{2})(\d{2}|\d{4}|\d{6}|\d{8}|\d{10})$/);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 60) return null;
  try {
    mgrsLibrary ??= await import("/vendor/mgrs/mgrs.esm.js");
    const [lon, lat] = mgrsLibrary.toPoint(t);
    // The square must be one of its zone's: the library reads a square of another band or zone
    // without a word, so the point is written back and must give the same zone and square.
    const back = mgrsLibrary.forward([lon, lat], 1);
    if (back.slice(0, back.length - 2) !== t.slice(0, t.length - (m[4].length))) return null;
    return inRange(lat, lon) ? { lat, lon, form: "mgrs" } : null;
  } catch {
    return null; // not a square of that zone, or no library: unread
  }
}

const R = 6371008.8;
function metres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

function polygonsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Metres from the point to a footprint's outline (0 inside), in a local flat projection: the
// footprints are buildings and plots, a few hundred metres at most.
function footprintDistance(polygons, p) {
  const kx = Math.cos((p.lat * Math.PI) / 180) * ((Math.PI * R) / 180);
  const ky = (Math.PI * R) / 180;
  let best = Infinity;
  for (const rings of polygons) {
    if (rings.length && inRing(rings[0], p.lon, p.lat) && !rings.slice(1).some((hole) => inRing(hole, p.lon, p.lat))) return 0;
    for (const ring of rings)
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = (ring[i][0] - p.lon) * kx, ay = (ring[i][1] - p.lat) * ky;
        const bx = (ring[i + 1][0] - p.lon) * kx, by = (ring[i + 1][1] - p.lat) * ky;
        const dx = bx - ax, dy = by - ay;
        const len = dx * dx + dy * dy;
        const u = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
        best = Math.min(best, Math.hypot(ax + u * dx, ay + u * dy));
      }
  }
  return best;
}

function byPosition(doc, p) {
  const found = [];
  let nearest = null;
  for (const v of doc.venues) {
    const polys = polygonsOf(v.geometry);
    let d;
    if (polys.length) d = footprintDistance(polys, p);
    else if (v.geometry?.type === "Point") d = metres(p, { lat: v.geometry.coordinates[1], lon: v.geometry.coordinates[0] });
    else if (v.position) d = metres(p, v.position);
    else continue;
    if (d <= CHECK_RADIUS_M) found.push({ v, d });
    if (!nearest || d < nearest.d) nearest = { v, d };
  }
  found.sort((a, b) => a.d - b.d);
  return { verdict: found.length ? "off-limits" : "not-listed", matches: found, nearest, position: p };
}

// A position in the form read offline, in the middle of the publication's venues: the example
// lies in the mission's own area, whichever mission the page serves.
function examplePosition(doc) {
  let s = 90, n = -90, w = 180, e = -180;
  for (const v of doc.venues) {
    let p = null;
    if (v.geometry?.type === "Point") p = { lon: v.geometry.coordinates[0], lat: v.geometry.coordinates[1] };
    else if (v.position) p = v.position;
    else {
      const ring = polygonsOf(v.geometry)[0]?.[0];
      if (ring?.length) p = { lon: ring[0][0], lat: ring[0][1] };
    }
    if (!p || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
    s = Math.min(s, p.lat), n = Math.max(n, p.lat), w = Math.min(w, p.lon), e = Math.max(e, p.lon);
  }
  if (s > n) return null; // an empty list: the sentence goes without an example
  return `${((s + n) / 2).toFixed(4)}, ${((w + e) / 2).toFixed(4)}`;
}

// --- the offline check ---------------------------------------------------------------------------

// {kind: "offline", status, text, result?, doc?, position?}; `looksLikeCoordinate` is check.js's.
export async function offlineCheck(text, looksLikeCoordinate) {
  const stored = await storedPublication();
  const out = { kind: "offline", text, status: stored.status, number: stored.number };
  if (stored.status !== "verified") return out;
  out.doc = stored.doc;
  if (looksLikeCoordinate(text)) {
    const p = await readPosition(text);
    if (!p) return { ...out, status: "unread-position" };
    out.result = byPosition(stored.doc, p);
  } else {
    out.result = byName(stored.doc, text);
  }
  return out;
}

function caveat(o) {
  return h("p", { class: "offline-caveat", "data-publication": String(o.doc.number) }, t("offlineCaveat", { n: o.doc.number, date: o.doc.as_of }));
}

function venueLine(v, extra) {
  return h(
    "li",
    { class: "venue" },
    h("p", { class: "venue-name" }, h("bdi", {}, v.name), extra.matched && extra.matched !== v.name ? h("span", { class: "muted matched" }, ` (${t("matchedName", { name: extra.matched })})`) : null),
    h("p", {}, [v.category ? category(v.category) : null, v.address, v.municipality].filter(Boolean).join(" · ")),
    v.directive ? h("p", { class: "directive" }, t("directiveLine", { ref: v.directive })) : null,
    v.listed_since ? h("p", {}, h("strong", {}, t("listedSince", { date: v.listed_since })), " · ", t("reasonsLine", { reasons: reasonList(v.reasons) })) : null,
    v.mgrs ? h("p", { class: "mgrs" }, `MGRS ${v.mgrs}`) : null,
    typeof extra.d === "number" && extra.position ? h("p", {}, extra.d === 0 ? t("insideFootprint") : t("distanceAway", { d: distance(extra.d) })) : null,
  );
}

// The answer on screen: a verdict box like the online ones, with the caveat first and last.
export function offlineBox(o) {
  if (o.status !== "verified" && o.status !== "unread-position") {
    const key = o.status === "none" ? "offlineNone" : o.status === "cannot-verify" ? "offlineCannotVerify" : "offlineUnverified";
    return h("div", { class: "error offline-refused", role: "alert", "data-offline": o.status }, h("strong", {}, `${t("offlineTitle")}: `), t(key, { n: o.number ?? "?" }));
  }
  if (o.status === "unread-position")
    return h(
      "div",
      { class: "unreadable", "data-outcome": "unreadable", "data-offline": "unread-position", role: "alert" },
      h("p", { class: "verdict-word" }, t("unreadable")),
      h("p", { class: "message" }, examplePosition(o.doc) ? t("offlinePositionForm", { example: examplePosition(o.doc) }) : t("offlinePositionFormPlain")),
      caveat(o),
    );
  const r = o.result;
  const position = r.position ? h("p", { class: "position" }, t("positionLine", { lat: r.position.lat.toFixed(5), lon: r.position.lon.toFixed(5), r: CHECK_RADIUS_M })) : null;
  if (r.verdict === "off-limits")
    return h(
      "div",
      { class: "verdict off", "data-verdict": "off-limits", "data-offline": "true" },
      caveat(o),
      h("p", { class: "verdict-word" }, t("offLimits")),
      h("p", { class: "verdict-sub" }, t("offLimitsSub")),
      position,
      h("ul", { class: "venues" }, r.matches.slice(0, 10).map((m) => venueLine(m.v, { matched: m.matched, d: m.d, position: r.position }))),
    );
  if (r.verdict === "ambiguous")
    return h(
      "div",
      { class: "verdict amb", "data-verdict": "ambiguous", "data-offline": "true" },
      caveat(o),
      h("p", { class: "verdict-word" }, t("ambiguous")),
      h("p", { class: "verdict-sub" }, t("offlineAmbiguous")),
      h("ul", { class: "venues" }, r.matches.slice(0, 10).map((m) => venueLine(m.v, { matched: m.matched }))),
    );
  return h(
    "div",
    { class: "verdict not", "data-verdict": "not-listed", "data-offline": "true" },
    caveat(o),
    h("p", { class: "verdict-word" }, t("notListed")),
    h("p", { class: "caution" }, t("notListedNote")),
    h("p", { class: "caution" }, r.position ? t("offlineNotListedPosition") : t("offlineNotListedName")),
    position,
    r.nearest && r.position ? h("p", { class: "nearest" }, t("nearest", { name: r.nearest.v.name, d: distance(r.nearest.d) })) : null,
  );
}
