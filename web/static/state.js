// What the page's parts share: the map, the directives (for titles and "latest in force"), and
// the list as of today, each fetched once and refreshed after a write.
import { api, url } from "./api.js";

export const state = {
  map: null,
  directives: null,
  today: null, // the /api/v1/offlimits document for today
  listeners: { changed: [] },
};

export async function directives(force = false) {
  if (!state.directives || force) state.directives = (await api("/api/v1/directives")).directives;
  return state.directives;
}

export async function todayList(force = false) {
  if (!state.today || force) state.today = await api(url("/api/v1/offlimits"));
  return state.today;
}

export function directiveByRef(ref) {
  return (state.directives || []).find((d) => d.ref === ref);
}

// The issued directive with the latest effective date on or before `asOf`, still in force then.
export function latestInForce(asOf) {
  let best = null;
  for (const d of state.directives || []) {
    if (d.status === "draft" || d.effective > asOf) continue;
    if (d.ended && d.ended <= asOf) continue;
    if (!best || d.effective > best.effective || (d.effective === best.effective && d.signed > best.signed)) best = d;
  }
  return best;
}

// Called after a write: everything cached is stale, and the other parts redraw.
export async function listChanged() {
  state.directives = null;
  state.today = null;
  for (const f of state.listeners.changed) await f();
}

export function onListChanged(f) {
  state.listeners.changed.push(f);
}

// A representative [lat, lon] of a GeoJSON geometry: the point, or the middle of a footprint's box.
export function representative(geometry) {
  if (!geometry) return null;
  if (geometry.type === "Point") return [geometry.coordinates[1], geometry.coordinates[0]];
  const rings = geometry.type === "Polygon" ? geometry.coordinates : geometry.coordinates.flat();
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const ring of rings)
    for (const [x, y] of ring) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  return [(minY + maxY) / 2, (minX + maxX) / 2];
}

// On a narrow screen the map is below the panels: "Show on map" and a row of the list bring it
// into view (a wide screen has both side by side, and nothing moves).
export function revealMap() {
  const el = document.getElementById("map");
  if (!el || !state.map?.available) return;
  if (window.matchMedia("(min-width: 960px)").matches) return;
  const r = el.getBoundingClientRect();
  const inView = r.top >= 0 && r.top < window.innerHeight * 0.5 && r.bottom > 0;
  if (inView) return;
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  el.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
}
