#!/usr/bin/env bash
# The Debian package: cpack -G DEB from the build folder, then its control data and contents, the
# unpacked program, and lintian when it is installed (errors and warnings fail, the rest is printed).
# Usage: deb_test.sh BUILD_DIR EXPECTED_VERSION PROJECT_VERSION
set -euo pipefail
build=$1 expected=$2 version=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/out/keepout_"$version"_*.deb) || fail "no keepout_${version}_*.deb"

info=$(dpkg-deb -I "$deb")
for field in "Architecture: $(dpkg --print-architecture)" "Section: misc" "Priority: optional" "Maintainer: " \
             "Installed-Size: " "Description: Off-Limits list of a peacekeeping mission"; do
    grep -qF " $field" <<<"$info" || { echo "$info"; fail "dpkg-deb -I lacks '$field'"; }
done
for member in control conffiles postinst prerm postrm md5sums; do
    grep -qE "^ +[0-9]+ bytes, +[0-9]+ lines +\*? *$member( |$)" <<<"$info" || { echo "$info"; fail "the control archive lacks $member"; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for dep in adduser fonts-noto-core fonts-dejavu-core libsqlite3-mod-spatialite libc6 libgdal libproj libgeos-c \
           libspatialite libsqlite3-0 libcairo2 libpango libicu libssl3 libgeographiclib libqrencode; do
    grep -q "\(^\|, \)$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
[ "$(dpkg-deb -f "$deb" Package)" = keepout ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version"

contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/bin/keepout ./usr/share/keepout/web/index.html ./usr/share/keepout/web/static/app.js \
         ./usr/share/keepout/web/node_modules/leaflet/dist/leaflet.js ./usr/share/keepout/web/node_modules/leaflet/dist/leaflet.css \
         ./usr/share/keepout/web/node_modules/mgrs/dist/mgrs.esm.js \
         ./usr/share/keepout/styles/kosovo-slide.json ./usr/share/keepout/data/kosovo/venues.geojson \
         ./lib/systemd/system/keepout.service ./etc/keepout/keepout.conf \
         ./usr/share/doc/keepout/copyright ./usr/share/doc/keepout/changelog.gz ./usr/share/doc/keepout/README.md \
         ./usr/share/man/man1/keepout.1.gz; do
    grep -qxF "$f" <<<"$contents" || fail "$f is not in the package"
done
if grep -q '^\./\(usr/local\|home\|tmp\|root\|work\)/' <<<"$contents"; then fail "files outside the Debian layout"; fi
if grep -q '^\./usr/share/keepout/data/.*\.py$' <<<"$contents"; then fail "the scripts that made the samples are packaged"; fi

dpkg-deb -e "$deb" "$tmp/control"
grep -qxF /etc/keepout/keepout.conf "$tmp/control/conffiles" || fail "keepout.conf is not a conffile"
grep -q "adduser --system" "$tmp/control/postinst" || fail "postinst does not create the keepout user"
for s in postinst prerm postrm; do [ -x "$tmp/control/$s" ] || fail "$s is not executable"; done

dpkg-deb -x "$deb" "$tmp/root"
if command -v groff >/dev/null; then
    man_warnings=$(zcat "$tmp/root/usr/share/man/man1/keepout.1.gz" | LC_ALL=C.UTF-8 groff -man -ww -z 2>&1) || fail "groff"
    [ -z "$man_warnings" ] || fail "the manual page: $man_warnings"
fi
(cd / && out=$("$tmp/root/usr/bin/keepout" --version) && [ "$out" = "keepout $expected" ]) || fail "the packaged keepout --version"
grep -q "^User=keepout$" "$tmp/root/lib/systemd/system/keepout.service" || fail "the unit does not run as keepout"

if command -v lintian >/dev/null; then
    lintian --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1 || true
    grep -v "running with root privileges" "$tmp/lintian.log" || true
    if grep -q "^[EW]: " "$tmp/lintian.log"; then fail "lintian reports errors or warnings"; fi
else
    echo "lintian is not installed: the package was not linted"
fi
echo "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, Depends: $depends"
