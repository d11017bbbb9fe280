#!/usr/bin/env python3
"""Writes nearest.json: geodesic nearest points of footprints, by brute force with GeodSolve.

For each case, every edge of the footprint is a geodesic (GeodSolve -i gives its azimuth and
length); positions along it (GeodSolve -L) are measured from the query point (GeodSolve -i), 4001
of them, then 4001 more around the nearest, which places the nearest point to well under a
millimetre. The answer is the nearest over all edges: its position, distance and azimuth from
the query point. For two footprints, the nearest over every vertex of one against the other.
Run from this folder:   python3 nearest_reference.py > nearest.json
"""
import json
import math
import subprocess

def geod(args, lines):
    out = subprocess.run(["GeodSolve", "-p", "9"] + args, input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=True).stdout.split("\n")
    return [list(map(float, l.split())) for l in out if l.strip()]

def inverse_many(p, points):  # p and points as (lat, lon): [(azi1, azi2, s12)]
    return geod(["-i"], [f"{p[0]!r} {p[1]!r} {q[0]!r} {q[1]!r}" for q in points])

def along(a, azi, distances):  # positions along the geodesic from a with azimuth azi
    return [(r[0], r[1]) for r in geod(["-L", repr(a[0]), repr(a[1]), repr(azi)], [repr(s) for s in distances])]

def nearest_on_edge(p, a, b):
    azi1, _, s12 = inverse_many(a, [b])[0]
    lo, hi = 0.0, s12
    for _ in range(2):
        ss = [lo + (hi - lo) * k / 4000 for k in range(4001)]
        pts = along(a, azi1, ss)
        ds = [r[2] for r in inverse_many(p, pts)]
        k = min(range(len(ds)), key=ds.__getitem__)
        step = (hi - lo) / 4000
        lo, hi = max(0.0, ss[k] - step), min(s12, ss[k] + step)
    best = pts[k]
    r = inverse_many(p, [best])[0]
    return best, r[2], r[0]

def nearest(p, ring):
    res = None
    for a, b in zip(ring, ring[1:]):
        q, d, azi = nearest_on_edge(p, a, b)
        if res is None or d < res[1]:
            res = (q, d, azi)
    return res

def circle(lat, lon, radius_m, n):
    # vertices by GeodSolve direct, clockwise from north; closed ring
    pts = geod([], [f"{lat} {lon} {360.0 * k / n} {radius_m}" for k in range(n)])
    ring = [(r[0], r[1]) for r in pts]
    return ring + [ring[0]]

cases = []
def point_case(name, p, ring):
    q, d, azi = nearest(p, ring)
    cases.append({"name": name, "point": [p[1], p[0]], "ring": [[v[1], v[0]] for v in ring],
                  "nearest": [q[1], q[0]], "distance_m": d, "azimuth_deg": azi % 360})

def pair_case(name, ring_a, ring_b):
    best = None
    for v in ring_a[:-1]:
        q, d, azi = nearest(v, ring_b)
        if best is None or d < best[2]:
            best = (v, q, d, azi)
    for v in ring_b[:-1]:
        q, d, azi = nearest(v, ring_a)
        if best is None or d < best[2]:
            # azimuth from a's point toward b's
            back = inverse_many(q, [v])[0]
            best = (q, v, d, back[0])
    cases.append({"name": name, "a": [[v[1], v[0]] for v in ring_a], "b": [[v[1], v[0]] for v in ring_b],
                  "from": [best[0][1], best[0][0]], "to": [best[1][1], best[1][0]], "distance_m": best[2],
                  "azimuth_deg": best[3] % 360})

# A footprint across the equator with a diagonal edge, the point 1.5 km off it to the north-east.
equator = [(-0.012, 32.000), (0.010, 32.018), (0.012, 32.004), (-0.006, 31.990), (-0.012, 32.000)]
point_case("across the equator", (0.004, 32.022), equator)
# An edge crossing 30°E just south of the equator (zones 35 and 36 south), the point east of it.
meridian = [(-1.500, 29.990), (-1.520, 30.012), (-1.530, 30.000), (-1.510, 29.985), (-1.500, 29.990)]
point_case("across 30E", (-1.495, 30.021), meridian)
# A camp perimeter 3.4 km across (36 vertices, radius 1.7 km), the point 3 km off it, at the
# equator and at 60°N where a plane scaled by cos(latitude) is furthest from the ellipsoid.
point_case("large camp at the equator", (-1.62, 29.235), circle(-1.655, 29.195, 1700, 36))
point_case("large camp at 60N", (60.045, 25.08), circle(60.02, 25.0, 1700, 36))
# A point just west of the zone 36/37 boundary (36°E), the footprint east of it.
zone = [(33.200, 36.004), (33.206, 36.010), (33.200, 36.016), (33.194, 36.010), (33.200, 36.004)]
point_case("near a zone boundary", (33.2015, 35.9995), zone)
# Small venues (edges of 20-35 m) kilometres away: at 60°N, and across the equator.
point_case("small venue 4 km off at 60N", (60.000, 25.000),
           [(60.0300, 25.0500), (60.0302, 25.0504), (60.0300, 25.0508), (60.0298, 25.0504), (60.0300, 25.0500)])
point_case("small venue 5 km off across the equator", (-0.020, 31.970),
           [(0.0200, 31.9900), (0.0202, 31.9903), (0.0199, 31.9905), (0.0197, 31.9902), (0.0200, 31.9900)])
# Two footprints on either side of the equator, 2 km apart.
pair_case("two footprints across the equator", equator,
          [(0.030, 32.030), (0.032, 32.040), (0.040, 32.036), (0.030, 32.030)])
pair_case("camp and venue across 30E", circle(-1.51, 29.99, 1200, 24),
          [(-1.500, 30.015), (-1.500, 30.0153), (-1.5003, 30.0153), (-1.5003, 30.015), (-1.500, 30.015)])

print(json.dumps({"generated_by": "python3 nearest_reference.py (GeodSolve -p 9, GeographicLib "
                  + subprocess.run(["GeodSolve", "--version"], capture_output=True, text=True).stdout.split()[-1] + ")",
                  "cases": cases}, indent=1))
