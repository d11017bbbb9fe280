#!/usr/bin/env python3
"""Mapnik's side of tools/bench/render.

  render_mapnik.py prepare WORK KEEPOUT DB AS_OF   writes the layers of the Kosovo slide as files
                                                   Mapnik reads (from the same keepout database)
  render_mapnik.py render WORK XML OUT DPI          renders the map with Mapnik; prints wall and CPU seconds

The style is tools/bench/render-mapnik.xml, the same layers and symbols as
styles/kosovo-slide.json: municipalities, the boundary, 1/2/5 km rings around the sites with
their labels, towns with Albanian and Serbian names, listed venues by category with their numbers,
sites sized by personnel with their counts. Sizes in the XML are Mapnik pixels (0.28 mm); the
render scale factor makes them print at the same size as keepout's points.
"""
import json
import math
import os
import subprocess
import sys
import time

A3_PT = (1190.55, 841.89)          # A3 landscape in points
MAPNIK_DPI = 25.4 / 0.28           # Mapnik's standard pixel


def run_json(cmd):
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def destination(lon, lat, bearing, metres):
    """Point at a distance along a bearing on a sphere (good to a few metres at 5 km)."""
    r = 6371008.8
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    d = metres / r
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return [math.degrees(l2), math.degrees(p2)]


def write(path, features):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False)


SVG = {
    "square": '<rect x="1" y="1" width="18" height="18"/>',
    "triangle": '<polygon points="10,0 20,18 0,18"/>',
    "diamond": '<polygon points="10,0 20,10 10,20 0,10"/>',
    "star": '<polygon points="10,0 12.6,7.2 20,7.2 14,11.8 16.2,19 10,14.6 3.8,19 6,11.8 0,7.2 7.4,7.2"/>',
    "cross": '<polygon points="7,0 13,0 13,7 20,7 20,13 13,13 13,20 7,20 7,13 0,13 0,7 7,7"/>',
    "hexagon": '<polygon points="5,1.3 15,1.3 20,10 15,18.7 5,18.7 0,10"/>',
}


def prepare(work, keepout, db, as_of):
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "kosovo")
    for name in ("municipalities.geojson", "boundary.geojson", "towns.geojson"):
        target = os.path.join(work, name)
        if not os.path.exists(target):
            os.symlink(os.path.abspath(os.path.join(data, name)), target)
    for name, body in SVG.items():
        with open(os.path.join(work, name + ".svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">%s</svg>' % body)

    # Listed venues numbered as keepout numbers them: by municipality, then name, then id.
    listed = run_json([keepout, "--db", db, "list", "--as-of", as_of, "--format", "geojson"])["features"]
    listed.sort(key=lambda f: (f["properties"].get("municipality") or "", f["properties"]["name"], f["properties"]["id"]))
    venues = []
    for n, f in enumerate(listed, 1):
        g = f["geometry"]
        if g["type"] != "Point":  # footprints: their first vertex, as a marker
            ring = g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0]
            g = {"type": "Point", "coordinates": ring[0]}
        venues.append({"type": "Feature", "geometry": g,
                       "properties": {"category": f["properties"]["category"], "number": str(n)}})
    write(os.path.join(work, "venues_mapnik.geojson"), venues)

    # Sites with their ring counts, as keepout's proximity reports them.
    prox = run_json([keepout, "--db", db, "proximity", "--as-of", as_of, "--radius", "1000", "--radius", "2000",
                     "--radius", "5000", "--format", "json"])
    counts = {s["site"]: s["rings"] for s in prox["sites"]}
    sites_path = os.path.join(work, "sites_export.geojson")
    if os.path.exists(sites_path):
        os.remove(sites_path)
    subprocess.run([keepout, "--db", db, "export", sites_path, "--what", "sites"], check=True, capture_output=True)
    with open(sites_path, encoding="utf-8") as f:
        exported = json.load(f)["features"]
    sites, rings, ring_labels = [], [], []
    for f in exported:
        p = f["properties"]
        c = counts.get(p["name"], {})
        lon, lat = f["geometry"]["coordinates"][:2] if f["geometry"]["type"] == "Point" else \
            f["geometry"]["coordinates"][0][0][:2]
        sites.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"name": p["name"], "kind": p.get("kind") or "other",
                                     "personnel": int(p.get("personnel") or 0),
                                     "c1": str(c.get("1000", 0)), "c2": str(c.get("2000", 0)),
                                     "c5": str(c.get("5000", 0))}})
        for r in (1000, 2000, 5000):
            n = max(48, min(360, int(r / 40)))
            ring = [destination(lon, lat, 360.0 * i / n, r) for i in range(n)]
            ring.append(ring[0])
            rings.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                          "properties": {"radius": r}})
            ring_labels.append({"type": "Feature", "geometry": {"type": "Point",
                                                                "coordinates": destination(lon, lat, 0, r)},
                                "properties": {"label": "%d km" % (r // 1000)}})
    write(os.path.join(work, "sites_mapnik.geojson"), sites)
    write(os.path.join(work, "rings_mapnik.geojson"), rings)
    write(os.path.join(work, "ringlabels_mapnik.geojson"), ring_labels)


def render(work, xml, out, dpi):
    import mapnik
    start, cpu = time.perf_counter(), time.process_time()
    if out.endswith(".pdf"):
        import cairo
        m = mapnik.Map(int(round(A3_PT[0])), int(round(A3_PT[1])))
        mapnik.load_map(m, xml, False, work + "/")
        m.zoom_to_box(extent(m))
        surface = cairo.PDFSurface(out, A3_PT[0], A3_PT[1])
        mapnik.render(m, surface, 72.0 / MAPNIK_DPI, 0, 0)
        surface.finish()
    else:
        w, h = int(round(A3_PT[0] / 72 * dpi)), int(round(A3_PT[1] / 72 * dpi))
        m = mapnik.Map(w, h)
        mapnik.load_map(m, xml, False, work + "/")
        m.zoom_to_box(extent(m))
        image = mapnik.Image(w, h)
        mapnik.render(m, image, dpi / MAPNIK_DPI)
        image.save(out, "png")
    print("%.2f %.2f" % (time.perf_counter() - start, time.process_time() - cpu))


def extent(m):
    import mapnik
    # Kosovo's boundary with 2% on each side, in the map's UTM 34N, as keepout's slide frames it.
    box = mapnik.ProjTransform(mapnik.Projection("epsg:4326"), mapnik.Projection(m.srs)).forward(m.layers[1].envelope())
    w, h = box.maxx - box.minx, box.maxy - box.miny
    return mapnik.Box2d(box.minx - 0.02 * w, box.miny - 0.02 * h, box.maxx + 0.02 * w, box.maxy + 0.02 * h)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "prepare":
        prepare(*sys.argv[2:6])
    elif len(sys.argv) == 6 and sys.argv[1] == "render":
        render(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
    else:
        sys.exit(__doc__)
