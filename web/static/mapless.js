// The map is an enhancement: checks, the list and management work without it. loadMap() gives
// the Leaflet map, or, when the map library is missing or fails, a stand-in with the same methods
// that draws nothing (and says so where the map would be).
import { h } from "./api.js";
import { t, onLanguageChange } from "./i18n.js";

export class NoMap {
  constructor() {
    this.available = false;
    this.onVenueClick = null;
  }
  invalidate() {}
  setTileDate() {}
  setVenues() {}
  mark() {}
  setSelection() {}
  focusVenue() {
    return false;
  }
  centreOn() {}
  showQuery() {}
  clearQuery() {}
  fit() {}
  startDraw() {}
  finishPolygon() {
    return null;
  }
  setDrawnPoint() {}
  cancelDraw() {}
}

// bbox: [west, south, east, north], the box the map opens on (GET /api/v1/mission).
export async function loadMap(element, bbox) {
  try {
    const { VenueMap } = await import("./map.js");
    const map = new VenueMap(element, bbox);
    map.available = true;
    document.body.dataset.map = "ready";
    return map;
  } catch (e) {
    document.body.dataset.map = "unavailable";
    const note = h("p", { class: "note warn map-missing", role: "status" }, t("mapUnavailable"));
    element.replaceChildren();
    element.after(note);
    onLanguageChange(() => (note.textContent = t("mapUnavailable")));
    console.warn(`keepout: the map is not available (${e && e.message ? e.message : e}); checks and the list work without it`);
    return new NoMap();
  }
}
