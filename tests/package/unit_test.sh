#!/usr/bin/env bash
# The systemd unit: systemd-analyze verify (the installed program in a DESTDIR stands in for
# /usr/bin/keepout) and the exposure level of systemd-analyze security. Exits 77 (skipped) where
# systemd-analyze is missing. Usage: unit_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unit=$source/packaging/keepout.service

for d in "User=keepout" "StateDirectory=keepout" "ProtectSystem=strict" "NoNewPrivileges=yes" "PrivateTmp=yes" \
         "ProtectHome=yes" "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "MemoryDenyWriteExecute=yes" \
         "SystemCallFilter=@system-service" "CapabilityBoundingSet=" "EnvironmentFile=-/etc/keepout/keepout.conf"; do
    grep -qxF "$d" "$unit" || fail "the unit lacks $d"
done

DESTDIR=$tmp/root cmake --install "$build" --prefix /usr >/dev/null
mkdir "$tmp/units"
sed "s|/usr/bin/keepout|$tmp/root/usr/bin/keepout|g" "$unit" >"$tmp/units/keepout.service"
# verify exits 0 on unknown keys and bad values too: anything it prints is a failure. Only a
# complaint that names no unit (no manager could start in this container) skips the test.
if ! systemd-analyze verify "$tmp/units/keepout.service" >"$tmp/verify.log" 2>&1; then
    cat "$tmp/verify.log"
    if ! grep -q "keepout" "$tmp/verify.log" && grep -qi "failed to\|not booted\|not permitted" "$tmp/verify.log"; then
        echo "systemd-analyze verify cannot run in this container: skipped"; exit 77
    fi
    fail "systemd-analyze verify"
fi
[ -s "$tmp/verify.log" ] && { cat "$tmp/verify.log"; fail "systemd-analyze verify complained"; }
# That verify looks at the unit here at all: a misspelt key and a missing program must be reported.
mkdir "$tmp/broken"
sed -e 's|^ProtectSystem=strict$|ProtectSystm=strict|' -e "s|$tmp/root/usr/bin/keepout|$tmp/missing/keepout|g" \
    "$tmp/units/keepout.service" >"$tmp/broken/keepout.service"
systemd-analyze verify "$tmp/broken/keepout.service" >"$tmp/broken.log" 2>&1 || true
grep -q "Unknown key 'ProtectSystm'" "$tmp/broken.log" || { cat "$tmp/broken.log"; fail "verify did not report a misspelt key"; }
grep -q "$tmp/missing/keepout" "$tmp/broken.log" || { cat "$tmp/broken.log"; fail "verify did not report a missing program"; }

security=$(systemd-analyze security --offline=yes "$unit" 2>&1) || { echo "$security"; fail "systemd-analyze security"; }
level=$(sed -n 's/.*Overall exposure level for keepout.service: \([0-9.]*\).*/\1/p' <<<"$security")
[ -n "$level" ] || { echo "$security"; fail "no exposure level"; }
awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || { echo "$security"; fail "exposure level $level is above 2.0"; }
grep '✗' <<<"$security" || true
echo "keepout.service verified; exposure level $level"
