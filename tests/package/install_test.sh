#!/usr/bin/env bash
# The installed keepout, run from / : `cmake --install` into a DESTDIR, then the installed binary
# must find its web page, map library, styles and sample data under its own prefix, never in the
# source tree. Usage: install_test.sh BUILD_DIR EXPECTED_VERSION
set -euo pipefail
build=$1 expected=$2
tmp=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

root=$tmp/root
DESTDIR=$root cmake --install "$build" --prefix /usr >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
keepout=$root/usr/bin/keepout
share=$root/usr/share/keepout
for f in "$keepout" "$share/web/index.html" "$share/web/static/app.js" "$share/web/node_modules/leaflet/dist/leaflet.js" \
         "$share/styles/kosovo-slide.json" "$share/data/kosovo/venues.geojson" "$share/lexicons/ar.json" "$share/documents/ar.json" \
         "$root/lib/systemd/system/keepout.service" "$root/etc/keepout/keepout.conf"; do
    [ -e "$f" ] || fail "not installed: ${f#"$root"}"
done
# Marks in the installed copies show that the page and the style come from there.
sed -i 's|</body>|<!-- installed-page-mark --></body>|' "$share/web/index.html"
sed -i 's|"title": "Off-Limits Locations|"title": "INSTALLEDSTYLEMARK Off-Limits Locations|' "$share/styles/kosovo-slide.json"

cd /
unset KEEPOUT_STYLE
export KEEPOUT_DB=$tmp/k.sqlite KEEPOUT_ACTOR=install-test

out=$("$keepout" --version)
[ "$out" = "keepout $expected" ] || fail "--version printed '$out', expected 'keepout $expected'"

data=$share/data/kosovo
"$keepout" init >/dev/null
"$keepout" mission import "$data/mission.json" >/dev/null
"$keepout" import venues "$data/venues.geojson" >/dev/null
"$keepout" import sites "$data/deployment_sites.geojson" >/dev/null
"$keepout" import sectors "$data/sectors.geojson" >/dev/null
"$keepout" import directives "$data/directives.json" >/dev/null
grep -q "114 venues" <<<"$("$keepout" list --as-of 2026-06-01)" || fail "the sample from share/keepout/data did not load"

# Without --style or $KEEPOUT_STYLE, the mission's map from its profile; the installed slide by name.
"$keepout" render --out "$tmp/map.pdf" --as-of 2026-06-01 >/dev/null
[ "$(head -c 5 "$tmp/map.pdf")" = "%PDF-" ] || fail "render wrote no PDF"
grep -q "UNMIK" <<<"$(pdftotext "$tmp/map.pdf" -)" || fail "render did not draw the mission's map"
"$keepout" render --out "$tmp/slide.pdf" --as-of 2026-06-01 --style "$share/styles/kosovo-slide.json" >/dev/null
grep -q INSTALLEDSTYLEMARK <<<"$(pdftotext "$tmp/slide.pdf" -)" || fail "render --style did not use the installed style"

# The service on a free loopback port, with the arguments keepout.service gives it (an empty TLS
# pair is plain HTTP): the page, the map library and /healthz.
"$keepout" serve --listen 127.0.0.1:0 --threads 2 --tls-cert "" --tls-key "" --access-log none >"$tmp/serve.log" 2>&1 &
server=$!
port=""
while [ -z "$port" ]; do
    kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.log"; fail "keepout serve exited"; }
    port=$(sed -n 's|^keepout serving .* on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
    [ -n "$port" ] || sleep 0.1
done
url=http://127.0.0.1:$port
grep -q "installed-page-mark" <<<"$(curl -sf "$url/")" || fail "/ is not the installed page"
curl -sf "$url/vendor/leaflet/leaflet.js" -o "$tmp/leaflet.js" || fail "/vendor/leaflet/leaflet.js"
cmp -s "$tmp/leaflet.js" "$share/web/node_modules/leaflet/dist/leaflet.js" || fail "/vendor/leaflet/leaflet.js is not the installed file"
curl -sf "$url/vendor/leaflet/leaflet.css" >/dev/null || fail "/vendor/leaflet/leaflet.css"
curl -sf "$url/vendor/mgrs/mgrs.esm.js" -o "$tmp/mgrs.js" || fail "/vendor/mgrs/mgrs.esm.js"
cmp -s "$tmp/mgrs.js" "$share/web/node_modules/mgrs/dist/mgrs.esm.js" || fail "/vendor/mgrs/mgrs.esm.js is not the installed file"
curl -sf "$url/static/app.js" >/dev/null || fail "/static/app.js"
health=$(curl -sf "$url/healthz") || fail "/healthz"
grep -qF "\"version\":\"$expected\"" <<<"$health" || fail "/healthz has no version $expected: $health"
curl -sf "$url/map.pdf?as_of=2026-06-01&style=kosovo-slide" -o "$tmp/served.pdf" || fail "/map.pdf"
grep -q INSTALLEDSTYLEMARK <<<"$(pdftotext "$tmp/served.pdf" -)" || fail "/map.pdf?style=kosovo-slide did not use the installed style"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

# A copy of the program without share/keepout next to it still draws the mission's map (it needs
# no file), and reaches into no source tree for a style.
mkdir -p "$tmp/bare/bin" && cp "$keepout" "$tmp/bare/bin/keepout"
"$tmp/bare/bin/keepout" render --out "$tmp/bare.pdf" --as-of 2026-06-01 >/dev/null || fail "a bare copy did not render"
bare_text=$(pdftotext "$tmp/bare.pdf" -)
grep -q "UNMIK" <<<"$bare_text" || fail "a bare copy did not draw the mission's map"
if grep -q "INSTALLEDSTYLEMARK\|Deployment Sites — Kosovo" <<<"$bare_text"; then fail "a bare copy used a style file"; fi
echo "installed keepout $expected works from /: page, /vendor/leaflet and /vendor/mgrs, /healthz, sample data, render"
