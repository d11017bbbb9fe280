#!/usr/bin/env bash
# Regenerates tests/data/proximity/sample_pairs.tsv: for every deployment site and every point venue
# of the Kosovo sample, the geodesic distance and initial azimuth computed by GeographicLib's own
# GeodSolve (not by keepout), kept when the pair is within 50 km. The proximity test compares
# keepout's answers with these.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/data/kosovo"
out="$root/tests/data/proximity/sample_pairs.tsv"
command -v GeodSolve >/dev/null || { echo "GeodSolve missing: apt-get install geographiclib-tools" >&2; exit 1; }

python3 - "$data" > /tmp/keepout-pairs.in <<'PY'
import json, sys
data = sys.argv[1]
sites = json.load(open(f"{data}/deployment_sites.geojson"))["features"]
venues = json.load(open(f"{data}/venues.geojson"))["features"]
for s in sites:
    slon, slat = s["geometry"]["coordinates"]
    for v in venues:
        if v["geometry"]["type"] != "Point":
            continue
        vlon, vlat = v["geometry"]["coordinates"]
        print(f'{s["properties"]["name"]}\t{v["properties"]["external_id"]}\t{slat!r} {slon!r} {vlat!r} {vlon!r}')
PY
cut -f3 /tmp/keepout-pairs.in | GeodSolve -i -p 6 > /tmp/keepout-pairs.out
{
  printf 'site\texternal_id\tdistance_m\tazimuth_deg\n'
  paste <(cut -f1,2 /tmp/keepout-pairs.in) /tmp/keepout-pairs.out |
    awk -F'\t' '{ split($3, g, " "); az = g[1]; if (az < 0) az += 360; if (g[3] <= 50000) printf "%s\t%s\t%s\t%.6f\n", $1, $2, g[3], az }'
} > "$out"
rm -f /tmp/keepout-pairs.in /tmp/keepout-pairs.out
echo "wrote $(($(wc -l < "$out") - 1)) pairs to $out"
