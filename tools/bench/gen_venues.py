#!/usr/bin/env python3
"""Writes N fictional venues around Kosovo as GeoJSON, for tools/bench/import.

Usage: gen_venues.py N OUT.geojson [SEED]

~75% points, ~25% small square footprints (valid, closed, counter-clockwise), unique
external_id, about a third with aliases. Standard library only; deterministic per seed so
runs are comparable.
"""
import json
import random
import sys

# Bounding box the brief asks for: roughly Kosovo.
LON_MIN, LON_MAX = 20.0, 21.8
LAT_MIN, LAT_MAX = 41.85, 43.25

CATEGORIES = ["bar", "nightclub", "brothel", "hotel", "motel", "restaurant", "cafe",
              "massage", "private-house", "other"]
# Weighted so the mix looks like the real list (mostly bars, cafés, hotels).
WEIGHTS = [25, 10, 3, 12, 6, 15, 18, 4, 3, 4]
PREFIX = {"bar": "Bar", "nightclub": "Night Club", "brothel": "Shtëpia", "hotel": "Hotel",
          "motel": "Motel", "restaurant": "Restorant", "cafe": "Kafe", "massage": "Masazh",
          "private-house": "Shtëpia", "other": "Lokali"}
# Invented words (some with ë/ç so the importer sees real UTF-8), not real businesses.
ADJ = ["i Artë", "i Kuq", "e Bardhë", "i Vjetër", "i Ri", "e Natës", "i Fushës", "Blu",
       "i Heshtur", "i Largët", "Zenit", "Polar", "Orbit", "Velvet", "Çelës", "Hënor"]
NOUN = ["Pëllumbi", "Ylli", "Ura", "Zana", "Kalaja", "Lisi", "Guri", "Drita", "Hëna",
        "Lumi", "Mali", "Shqiponja", "Trëndafili", "Porta", "Fenix", "Kometa", "Atlas", "Delta"]
STREETS = ["Rr. e Re", "Rr. Lulishtja", "Magjistralja", "Rr. e Tregut", "Rr. Kodra",
           "Bulevardi Qendror", "Rr. e Kalasë", "Rr. Ura e Gurit"]
MUNICIPALITIES = ["Prishtinë", "Prizren", "Pejë", "Gjakovë", "Ferizaj", "Gjilan", "Mitrovicë",
                  "Vushtrri", "Podujevë", "Lipjan", "Suharekë", "Rahovec", "Malishevë",
                  "Skenderaj", "Kamenicë", "Viti", "Istog", "Klinë", "Dragash", "Deçan"]


def feature(i, rnd):
    cat = rnd.choices(CATEGORIES, WEIGHTS)[0]
    name = f"{PREFIX[cat]} {rnd.choice(NOUN)} {rnd.choice(ADJ)}"
    aliases = []
    r = rnd.random()
    if r < 0.30:
        aliases.append(f"{rnd.choice(NOUN)} {rnd.randint(1, 99)}")
    if r < 0.08:
        aliases.append(f"ex-{rnd.choice(NOUN)} {rnd.choice(ADJ)}")
    lon = rnd.uniform(LON_MIN, LON_MAX)
    lat = rnd.uniform(LAT_MIN, LAT_MAX)
    if rnd.random() < 0.25:
        # A square of 10–40 m a side, ring counter-clockwise and closed: valid by construction.
        h = rnd.uniform(0.00005, 0.0002)
        x0, y0, x1, y1 = round(lon - h, 7), round(lat - h, 7), round(lon + h, 7), round(lat + h, 7)
        geom = {"type": "Polygon",
                "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
    else:
        geom = {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}
    mun = rnd.choice(MUNICIPALITIES)
    props = {"external_id": f"BENCH-{i:07d}", "name": name, "aliases": aliases, "category": cat,
             "address": f"{rnd.choice(STREETS)} {rnd.randint(1, 250)}, {mun}", "municipality": mun}
    return {"type": "Feature", "geometry": geom, "properties": props}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) == 4 else 42)
    # Streamed one feature per line so a million venues never sit in memory at once.
    with open(out, "w", encoding="utf-8") as f:
        # No "crs" member: RFC 7946 GeoJSON is always WGS 84 lon/lat.
        f.write('{"type":"FeatureCollection","name":"venues","features":[\n')
        for i in range(1, n + 1):
            f.write(json.dumps(feature(i, rnd), ensure_ascii=False, separators=(",", ":")))
            f.write(",\n" if i < n else "\n")
        f.write("]}\n")


if __name__ == "__main__":
    main()
