// Copies the mission's boundary, municipalities and towns from data/ into static/basemap/, for the map
// to draw as vectors before (or instead of) keepout's own raster tiles. Runs after `npm ci`.
// Coordinates are rounded to 5 decimals (about 1 m), which halves the files.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const data = process.env.KEEPOUT_BASEMAP_DIR || join(web, "..", "data", "kosovo");
const out = join(web, "static", "basemap");
mkdirSync(out, { recursive: true });

const round = (c) => (typeof c === "number" ? Math.round(c * 1e5) / 1e5 : c.map(round));
for (const name of ["boundary", "municipalities", "towns"]) {
  const src = join(data, `${name}.geojson`);
  if (!existsSync(src)) {
    console.warn(`copy-basemap: ${src} is missing; the map draws without it`);
    continue;
  }
  const fc = JSON.parse(readFileSync(src, "utf8"));
  for (const f of fc.features) {
    if (f.geometry) f.geometry.coordinates = round(f.geometry.coordinates);
    const p = f.properties || {};
    const label = String(p.name || p.name_sq || p.shapeName || "").replace(/^Municipality of /, "");
    // Towns keep their names in each language and their size (for which labels show first).
    f.properties = { name: label };
    for (const k of ["name_sq", "name_sr", "name_sr_latn", "population_approx"]) if (p[k] !== undefined) f.properties[k] = p[k];
  }
  writeFileSync(join(out, `${name}.geojson`), JSON.stringify(fc));
  console.log(`copy-basemap: static/basemap/${name}.geojson (${fc.features.length} features)`);
}
