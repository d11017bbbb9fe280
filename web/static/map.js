// The map: keepout's own raster tiles when the server has them, else the mission's area and
// reference layers (districts, towns, …) from the API drawn as vectors; the listed venues from the API; the checked position; and
// simple drawing of a new venue's point or footprint. Leaflet comes from npm via /vendor/.
import * as L from "/vendor/leaflet/leaflet-src.esm.js";
import { h } from "./api.js";
import { t, category, lang, onLanguageChange } from "./i18n.js";

const RED = "#c8102e";
const DARK_RED = "#6d0010";
const GREY = "#5f6b7a";
const BLUE = "#0b57d0";
const TRANSPARENT_PNG = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

export class VenueMap {
  // bbox: [west, south, east, north] of the mission area or the data; the whole world without one.
  constructor(element, bbox) {
    // People who ask for less motion get a map that jumps instead of gliding.
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.animate = !still;
    this.map = L.map(element, {
      center: [0, 0],
      zoom: 2,
      minZoom: 2,
      maxZoom: 19,
      zoomSnap: 0.5,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
      inertia: !still,
    });
    if (Array.isArray(bbox) && bbox.length === 4 && bbox.every(Number.isFinite))
      this.map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]], { animate: false });
    this.map.attributionControl.setPrefix(false);
    this.basemap = L.layerGroup().addTo(this.map);
    this.venues = L.featureGroup().addTo(this.map);
    this.query = L.layerGroup().addTo(this.map);
    this.drawing = L.layerGroup().addTo(this.map);
    this.layers = new Map(); // venue id → layer
    this.selected = new Set();
    this.onVenueClick = null;
    this.drawMode = null;
    this.drawPoints = [];
    this.onDraw = null;
    this.map.on("click", (e) => this.drawClick(e));
    this.addBasemap();
  }

  async addBasemap() {
    // keepout's own tiles (from the render subsystem) once the server serves them; a missing tile
    // route or tile stays quiet: a probe first, then a transparent image for any tile that fails.
    try {
      // The probe asks for the zoom-7 tile under the map's centre: the mission's own ground.
      const c = this.map.getCenter();
      const n = 2 ** 7;
      const x = Math.min(n - 1, Math.max(0, Math.floor(((c.lng + 180) / 360) * n)));
      const lat = (Math.max(-85, Math.min(85, c.lat)) * Math.PI) / 180;
      const y = Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n)));
      const probe = await fetch(`/tiles/7/${x}/${y}.png`, { method: "HEAD" });
      if (probe.ok && (probe.headers.get("content-type") || "").startsWith("image/")) {
        this.tiles = L.tileLayer(this.tileUrl(), { maxZoom: 19, errorTileUrl: TRANSPARENT_PNG, attribution: "keepout · the mission's reference layers" })
          .addTo(this.map)
          .bringToBack();
        this.hasTiles = true;
      }
    } catch {
      /* no tiles: the mission's layers drawn as vectors below are enough */
    }
    // keepout's tiles draw the mission's area and reference layers themselves.
    if (this.hasTiles) return;
    // Else the same layers as vectors, from the mission profile (GET /api/v1/mission/layers).
    const load = async (href) => {
      try {
        const r = await fetch(href);
        return r.ok ? await r.json() : null;
      } catch {
        return null;
      }
    };
    const listing = await load("/api/v1/mission/layers");
    const layers = Array.isArray(listing?.layers) ? listing.layers : [];
    const href = (l) => `/api/v1/mission/layers/${encodeURIComponent(l.name)}`;
    const kind = (l) => String(l.geometry || "").replace(/^Multi/, "");
    const area = layers.find((l) => l.name === "area");
    const polygons = layers.filter((l) => l !== area && kind(l) === "Polygon");
    const lines = layers.filter((l) => kind(l) === "LineString");
    const points = layers.filter((l) => kind(l) === "Point");
    const [areaData, ...rest] = await Promise.all([area ? load(href(area)) : null, ...[...polygons, ...lines, ...points].map((l) => load(href(l)))]);
    const data = new Map([...polygons, ...lines, ...points].map((l, i) => [l, rest[i]]));
    const attribution = "keepout · mission profile";
    const draw = (fc, style) => fc && L.geoJSON(fc, { style, interactive: false, attribution }).addTo(this.basemap);
    draw(areaData, { stroke: false, fillColor: "#eef1ec", fillOpacity: 1 });
    // The finest polygons (most features) first, each coarser layer over it a little heavier.
    polygons.sort((a, b) => b.features - a.features);
    polygons.forEach((l, i) => draw(data.get(l), { color: "#7d8896", weight: i === 0 && polygons.length > 1 ? 0.8 : 1.4, dashArray: i === 0 ? "4 3" : null, fill: false }));
    for (const l of lines) draw(data.get(l), { color: "#9a8f7a", weight: 1 });
    draw(areaData, { color: "#1f2933", weight: 2.5, fill: false });
    // Places labelled in the page's language; the larger ones first when zoomed out.
    this.places = points.flatMap((l) => data.get(l)?.features || []).filter((f) => f.geometry?.type === "Point");
    if (this.places.length) {
      this.bigPlace = bigPlaces(this.places);
      this.townLabels = L.layerGroup().addTo(this.map);
      this.map.on("zoomend", () => this.drawTowns());
      onLanguageChange(() => this.drawTowns());
      this.drawTowns();
    }
  }

  drawTowns() {
    if (!this.places) return;
    this.townLabels.clearLayers();
    const zoom = this.map.getZoom();
    for (const f of this.places) {
      if (zoom < 9 && !this.bigPlace(f)) continue;
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], { radius: 3, color: "#1f2933", weight: 1, fillColor: "#1f2933", fillOpacity: 1, interactive: false })
        .bindTooltip(label(placeName(f.properties || {}, lang())), { permanent: true, direction: "right", offset: [4, 0], className: "town-tip" })
        .addTo(this.townLabels);
    }
  }

  tileUrl() {
    return this.tileDate ? `/tiles/{z}/{x}/{y}.png?as_of=${this.tileDate}` : "/tiles/{z}/{x}/{y}.png";
  }

  // The tiles show the list of the same date as the venues drawn over them (empty: today).
  setTileDate(date) {
    if ((date || "") === (this.tileDate || "")) return;
    this.tileDate = date || "";
    this.tiles?.setUrl(this.tileUrl());
  }

  invalidate() {
    this.map.invalidateSize();
  }

  // features: GeoJSON Features from /api/v1/offlimits or /api/v1/venues (properties.listed may be false).
  setVenues(features) {
    this.marked = [];
    this.venues.clearLayers();
    this.layers.clear();
    for (const f of features) {
      const listed = f.properties.listed !== false;
      // GeoJSON applies `style` to points as well: one style per geometry type.
      const layer = L.geoJSON(f, {
        pointToLayer: (_, ll) => L.circleMarker(ll, { radius: listed ? 7 : 5 }),
        style: (g) =>
          g.geometry.type === "Point"
            ? { color: listed ? DARK_RED : "#ffffff", weight: 2, fillColor: listed ? RED : GREY, fillOpacity: 1 }
            : { color: listed ? DARK_RED : GREY, weight: 2, fillColor: listed ? RED : GREY, fillOpacity: 0.5 },
      });
      layer.feature = f;
      layer.bindPopup(() => this.popup(f));
      layer.on("click", (e) => {
        if (this.drawMode) return;
        L.DomEvent.stopPropagation(e);
        if (this.onVenueClick) this.onVenueClick(f);
      });
      layer.addTo(this.venues);
      this.layers.set(f.id ?? f.properties.id, layer);
    }
    this.restyleSelection();
  }

  popup(f) {
    const p = f.properties;
    return h(
      "div",
      { class: "popup" },
      h("strong", {}, p.name),
      h("div", {}, `${category(p.category)} · ${p.address || ""}`),
      p.listed !== false && p.directive ? h("div", { class: "popup-listed" }, `${t("offLimits")} · ${p.directive} · ${p.listed_since}`) : h("div", {}, t("notListedTag")),
    );
  }

  // Venues a check found: labelled with their names and drawn larger. Venues not on the map's
  // layer (not listed) are drawn grey with the checked position.
  mark(features) {
    for (const layer of this.marked || []) layer.unbindTooltip();
    this.marked = [];
    for (const f of features) {
      const id = f.id ?? f.properties.id;
      const layer = this.layers.get(id);
      const name = f.properties.name;
      if (layer) {
        layer.eachLayer((l) => {
          l.bindTooltip(label(name), { permanent: true, direction: "top", offset: [0, -8], className: "venue-tip" }).openTooltip();
          if (l.setRadius) l.setRadius(10);
          this.marked.push(l);
        });
      } else {
        L.geoJSON(f, {
          pointToLayer: (_, ll) => L.circleMarker(ll, { radius: 8 }),
          style: (g) =>
            g.geometry.type === "Point"
              ? { color: "#ffffff", weight: 2, fillColor: GREY, fillOpacity: 1 }
              : { color: GREY, weight: 3, fillColor: GREY, fillOpacity: 0.4 },
          interactive: false,
        })
          .eachLayer((l) => l.bindTooltip(label(name), { permanent: true, direction: "top", offset: [0, -8], className: "venue-tip other" }))
          .addTo(this.query);
      }
    }
  }

  setSelection(ids) {
    this.selected = new Set(ids);
    this.restyleSelection();
  }

  restyleSelection() {
    for (const [id, layer] of this.layers) {
      const on = this.selected.has(id);
      layer.eachLayer((l) => l.setStyle && l.setStyle(on ? { color: BLUE, weight: 4 } : { color: l.feature?.properties?.listed === false ? (l instanceof L.CircleMarker ? "#ffffff" : GREY) : DARK_RED, weight: 2 }));
    }
  }

  focusVenue(id, { popup = true } = {}) {
    const layer = this.layers.get(id);
    if (!layer) return false;
    const b = layer.getBounds();
    if (b.isValid()) this.map.setView(b.getCenter(), Math.max(this.map.getZoom(), 15), { animate: this.animate });
    if (popup) layer.openPopup(b.getCenter());
    return true;
  }

  centreOn(lat, lon, zoom = 15) {
    this.map.setView([lat, lon], zoom, { animate: this.animate });
  }

  showQuery(lat, lon, radius, text) {
    this.query.clearLayers();
    L.circle([lat, lon], { radius, color: BLUE, weight: 2, fillOpacity: 0.08, interactive: false }).addTo(this.query);
    L.circleMarker([lat, lon], { radius: 6, color: "#ffffff", weight: 2, fillColor: BLUE, fillOpacity: 1 })
      .bindTooltip(label(text || t("legendQuery")))
      .addTo(this.query);
  }

  clearQuery() {
    this.query.clearLayers();
  }

  // Fits the view to the checked position and the given venue features.
  fit(latlngs, features = [], maxZoom = 15) {
    let b = L.latLngBounds(latlngs);
    for (const f of features) b = b.extend(L.geoJSON(f).getBounds());
    if (b.isValid()) this.map.fitBounds(b.pad(0.4), { maxZoom, animate: this.animate });
  }

  // --- drawing a new venue: mode "point" or "polygon"; onDraw(geometry | null, state)
  startDraw(mode, onDraw) {
    this.cancelDraw();
    this.drawMode = mode;
    this.onDraw = onDraw;
    this.drawPoints = [];
    this.map.getContainer().classList.add("drawing");
  }

  drawClick(e) {
    if (!this.drawMode) return;
    const { lat, lng } = e.latlng;
    if (this.drawMode === "point") {
      this.drawPoints = [[lat, lng]];
      this.renderDrawing();
      const geometry = { type: "Point", coordinates: [round(lng), round(lat)] };
      this.drawMode = null;
      this.map.getContainer().classList.remove("drawing");
      this.onDraw?.(geometry, { done: true });
    } else {
      this.drawPoints.push([lat, lng]);
      this.renderDrawing();
      this.onDraw?.(null, { done: false, corners: this.drawPoints.length });
    }
  }

  finishPolygon() {
    if (this.drawMode !== "polygon" || this.drawPoints.length < 3) return null;
    const ring = this.drawPoints.map(([lat, lng]) => [round(lng), round(lat)]);
    ring.push(ring[0]);
    const geometry = { type: "Polygon", coordinates: [ring] };
    this.drawMode = null;
    this.map.getContainer().classList.remove("drawing");
    this.renderDrawing(true);
    return geometry;
  }

  // A point typed or pasted instead of drawn.
  setDrawnPoint(lat, lon) {
    this.cancelDraw();
    this.drawPoints = [[lat, lon]];
    this.renderDrawing();
    this.map.setView([lat, lon], Math.max(this.map.getZoom(), 15), { animate: this.animate });
  }

  renderDrawing(closed = false) {
    this.drawing.clearLayers();
    const style = { color: BLUE, weight: 3, dashArray: closed ? null : "6 4", fillOpacity: 0.2 };
    if (this.drawPoints.length === 1) L.circleMarker(this.drawPoints[0], { radius: 8, color: BLUE, weight: 3, fillOpacity: 0.3 }).addTo(this.drawing);
    else if (this.drawPoints.length > 1) (closed || this.drawPoints.length > 2 ? L.polygon : L.polyline)(this.drawPoints, style).addTo(this.drawing);
    for (const p of this.drawPoints.length > 1 ? this.drawPoints : []) L.circleMarker(p, { radius: 4, color: BLUE, fillOpacity: 1 }).addTo(this.drawing);
  }

  cancelDraw() {
    this.drawMode = null;
    this.drawPoints = [];
    this.drawing.clearLayers();
    this.map.getContainer().classList.remove("drawing");
  }
}

const round = (x) => Math.round(x * 1e7) / 1e7;

// Leaflet puts a string given as a tooltip or popup into innerHTML; a venue's name is data (and
// may be hostile), so every label is an element with the text in it. A function, so each layer
// that shows the label gets its own element.
const label = (text) => () => h("span", {}, String(text ?? ""));

// A place's name in the page's language: the property name_<tag> (name_sr_latn for sr-Latn),
// name_<language> or name:<tag>, else English, else its name, else any property ending in
// "name" (shapeName): the same rule as the printed maps, for whatever the mission's files hold.
export function placeName(p, tag) {
  const keys = Object.keys(p);
  const get = (k) => {
    const key = keys.find((x) => x.toLowerCase() === k);
    const v = key === undefined ? undefined : p[key];
    return typeof v === "string" ? v.trim() : "";
  };
  for (const t of [String(tag || "").toLowerCase(), "en"]) {
    if (!t) continue;
    const primary = t.split("-")[0];
    for (const k of [`name_${t.replace(/-/g, "_")}`, `name:${t}`, `name_${primary}`, `name:${primary}`]) {
      const v = get(k);
      if (v) return v;
    }
  }
  return get("name") || keys.filter((k) => /.name$/i.test(k)).map((k) => get(k.toLowerCase())).find(Boolean) || "";
}

// Which places show when zoomed out: with a size (a numeric property whose name starts with
// "pop"), the largest quarter; without one, every place.
function bigPlaces(features) {
  const sizeKey = (p) => Object.keys(p).find((k) => /^pop/i.test(k) && Number.isFinite(Number(p[k])));
  const sizes = features.map((f) => { const k = sizeKey(f.properties || {}); return k === undefined ? NaN : Number(f.properties[k]); });
  const known = sizes.filter(Number.isFinite).sort((a, b) => a - b);
  if (known.length < 4) return () => true;
  const threshold = known[Math.floor((known.length * 3) / 4)];
  const big = new Set(features.filter((_, i) => sizes[i] >= threshold));
  return (f) => big.has(f);
}
