#!/usr/bin/env python3
"""Writes the synthetic test mission around the north of Lake Kivu (UTM zone 35 south).

Everything here is invented for the tests: the mission, its area, its districts, its sites and
its venues. Town positions are approximate (about 1 km). Run from this folder:
    python3 make_kivu.py
"""
import json
import math

def fc(name, features):
    return {"type": "FeatureCollection", "name": name, "features": features}

def feature(geometry, **props):
    return {"type": "Feature", "geometry": geometry, "properties": props}

def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}

def polygon(ring):
    if ring[0] != ring[-1]:
        ring = ring + [ring[0]]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}

def square(lon, lat, half_m):
    dlat = half_m / 110574.0
    dlon = half_m / (111320.0 * math.cos(math.radians(lat)))
    return polygon([(lon - dlon, lat - dlat), (lon + dlon, lat - dlat), (lon + dlon, lat + dlat),
                    (lon - dlon, lat + dlat)])

def circle(lon, lat, radius_m, n=24):
    ring = []
    for k in range(n):
        a = 2 * math.pi * k / n
        ring.append((lon + radius_m * math.sin(a) / (111320.0 * math.cos(math.radians(lat))),
                     lat + radius_m * math.cos(a) / 110574.0))
    return polygon(ring)

# The mission area: an irregular polygon from south of Bukavu to north of Sake, all south of the
# equator and west of 30°E, so in UTM zone 35 south only.
area = [(28.70, -2.70), (29.05, -2.62), (29.30, -2.05), (29.45, -1.55), (29.40, -1.20),
        (29.00, -1.25), (28.80, -1.60), (28.65, -2.20)]
json.dump(fc("area", [feature(polygon(area), name="Kivu test area")]), open("area.geojson", "w"), indent=1)

# Two fictional districts split at 2°S.
def cut(ring, north):
    out = []
    n = len(ring)
    for i in range(n):
        a, b = ring[i], ring[(i + 1) % n]
        ina, inb = (a[1] >= -2.0) == north, (b[1] >= -2.0) == north
        if ina:
            out.append(a)
        if ina != inb:
            t = (-2.0 - a[1]) / (b[1] - a[1])
            out.append((a[0] + t * (b[0] - a[0]), -2.0))
    return out
json.dump(fc("districts", [feature(polygon(cut(area, True)), name="Kivu Nord"),
                           feature(polygon(cut(area, False)), name="Kivu Sud")]),
          open("districts.geojson", "w"), indent=1)

towns = [("Goma", 29.228, -1.679, 700000), ("Bukavu", 28.861, -2.508, 800000), ("Sake", 29.045, -1.573, 70000),
         ("Minova", 29.010, -1.705, 40000), ("Kalehe", 28.915, -2.105, 30000)]
json.dump(fc("towns", [feature(point(lon, lat), name=name, population_approx=pop) for name, lon, lat, pop in towns]),
          open("towns.geojson", "w"), indent=1)

# Sites: one large camp (a perimeter some 3.4 km across), a smaller one, two posts.
sites = [
    feature(circle(29.195, -1.655, 1700, 36), name="Camp Lakeside", kind="hq", contingent="Mission HQ",
            personnel=3000),
    feature(square(28.870, -2.480, 250), name="Camp Ruzizi", kind="military", contingent="Sector South",
            personnel=600),
    feature(point(29.050, -1.580), name="Post Sake", kind="military", contingent="Sector North", personnel=120),
    feature(point(28.925, -2.100), name="Post Kalehe", kind="civilian", contingent="Civil Affairs", personnel=20),
]
json.dump(fc("deployment_sites", sites), open("deployment_sites.geojson", "w"), indent=1)

# Fictional venues: invented names, positions near the towns and camps.
venues = [
    ("KI-001", "Volcano View Lounge", [], "bar", "Avenue du Lac 4, Goma", "Kivu Nord", point(29.2215, -1.6790)),
    ("KI-002", "Hôtel Mwezi", ["Hotel Mwezi"], "hotel", "Boulevard Kanyamuhanga 12, Goma", "Kivu Nord",
     square(29.2330, -1.6850, 15)),
    ("KI-003", "Club Nyota", [], "nightclub", "Quartier Himbi, Goma", "Kivu Nord", point(29.2120, -1.6660)),
    ("KI-004", "Baa ya Samaki", ["Fish Bar"], "bar", "Route de Sake, Sake", "Kivu Nord", point(29.0420, -1.5760)),
    ("KI-005", "Maison Rose", [], "private-house", "Avenue Lumumba 8, Bukavu", "Kivu Sud", point(28.8640, -2.5020)),
    ("KI-006", "Café Ruzizi", [], "cafe", "Place du Marché, Bukavu", "Kivu Sud", square(28.8725, -2.4835, 12)),
    ("KI-007", "Motel Kalehe", [], "motel", "Route principale, Kalehe", "Kivu Sud", point(28.9180, -2.1040)),
]
json.dump(fc("venues", [feature(g, external_id=i, name=n, aliases=a, category=c, address=ad, municipality=m)
                        for i, n, a, c, ad, m, g in venues]), open("venues.geojson", "w"), indent=1, ensure_ascii=False)

directives = {"directives": [{
    "ref": "KIVU/HOM/OL/2026/001", "title": "Off-Limits establishments: initial list",
    "authority": "Head of Mission", "signed": "2026-02-20", "effective": "2026-03-01", "status": "issued",
    "listings": [{"venue": v, "action": "place", "reasons": r} for v, r in
                 [("KI-001", ["prostitution"]), ("KI-002", ["trafficking"]), ("KI-003", ["organized-crime"]),
                  ("KI-005", ["prostitution", "minors"]), ("KI-006", ["force-protection"])]]}]}
json.dump(directives, open("directives.json", "w"), indent=1)

json.dump({"name": "KIVUTEST", "full_name": "Kivu Test Mission (synthetic)", "time_zone": "Africa/Lubumbashi",
           "languages": ["fr", "sw", "en"], "head_of_mission": "Head of Mission", "area": "area.geojson",
           "default_radius_m": 100, "layers": {"districts": "districts.geojson", "towns": "towns.geojson"}},
          open("mission.json", "w"), indent=1)
