#!/usr/bin/env bash
# Regenerates data/kosovo/sectors.geojson, the sample patrol sectors: the seven districts of
# districts.geojson (geoBoundaries ADM1) with the military police unit responsible for each.
# The units are illustrative, grouped the way KFOR's multinational battlegroups were.
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/kosovo/sectors.geojson
rm -f "$out"
ogr2ogr -f GeoJSON "$out" data/kosovo/districts.geojson -nln sectors -lco RFC7946=NO -lco WRITE_NAME=YES \
  -dialect SQLite -sql "
SELECT shapeName AS name,
       CASE shapeName
         WHEN 'District of Prishtina' THEN 'KFOR HQ MP Company'
         WHEN 'District of Mitrovica' THEN 'MNB North MP Company'
         WHEN 'District of Peja'      THEN 'MNB West MP Company'
         WHEN 'District of Gjakova'   THEN 'MNB West MP Company'
         WHEN 'District of Prizren'   THEN 'MNB South MP Company'
         WHEN 'District of Gjilan'    THEN 'MNB East MP Company'
         WHEN 'District of Ferizaj'   THEN 'MNB East MP Company'
       END AS unit,
       shapeID AS source_id,
       geometry
FROM districts"
echo "wrote $out"
