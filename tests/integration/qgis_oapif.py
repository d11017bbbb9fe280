#!/usr/bin/python3
"""QGIS's own OAPIF provider, headless, against the real server: loads offlimits-points and
offlimits-footprints of each sample and checks that QGIS sees every listed venue as a point (the
count `keepout list --format json` gives) and the footprints as polygons.

Usage: qgis_oapif.py KEEPOUT_BINARY SOURCE_DIR. Exits 77 (ctest SKIP) when QGIS's Python bindings
(python3-qgis) are not installed, 1 on a failed check, 0 when every check holds."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

try:
    from qgis.core import QgsApplication, QgsVectorLayer, QgsWkbTypes, Qgis
except ImportError as e:
    print("SKIP: python3-qgis is not installed (%s); apt-get install python3-qgis" % e)
    sys.exit(77)

keepout, source = sys.argv[1], sys.argv[2]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
failures = []


def run(db, *args):
    r = subprocess.run([keepout, "--db", db, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("keepout %s failed: %s" % (" ".join(args), r.stderr))
    return r.stdout


def check(what, ok):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
print("QGIS", Qgis.QGIS_VERSION)

for sample in ("kosovo", "lebanon"):
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_RUNTIME_DIR"] = tmp
        db = os.path.join(tmp, "k.sqlite")
        d = os.path.join(source, "data", sample)
        run(db, "init")
        run(db, "mission", "import", os.path.join(d, "mission.json"))
        run(db, "import", "venues", os.path.join(d, "venues.geojson"))
        run(db, "import", "sites", os.path.join(d, "deployment_sites.geojson"))
        run(db, "import", "directives", os.path.join(d, "directives.json"))
        listed = json.loads(run(db, "list", "--format", "geojson"))["features"]
        footprints = [f for f in listed if f["geometry"]["type"] != "Point"]
        log = os.path.join(tmp, "serve.out")
        with open(log, "w") as out:
            server = subprocess.Popen([keepout, "--db", db, "serve", "--listen", "127.0.0.1:0"], stdout=out,
                                      stderr=subprocess.STDOUT)
        try:
            port = None
            for _ in range(600):
                m = re.search(r"on https?://127\.0\.0\.1:([0-9]+)/", open(log).read())
                if m:
                    port = m.group(1)
                    break
                if server.poll() is not None:
                    raise SystemExit("keepout serve exited: " + open(log).read())
                time.sleep(0.05)
            if port is None:
                raise SystemExit("keepout serve did not come up: " + open(log).read())
            url = "http://127.0.0.1:%s/ogc" % port
            for typename, want_count, want_geometry in (("offlimits-points", len(listed), "Point"),
                                                        ("offlimits-footprints", len(footprints), "Polygon")):
                layer = QgsVectorLayer("url='%s' typename='%s'" % (url, typename), typename, "OAPIF")
                check("%s %s: the layer is valid" % (sample, typename), layer.isValid())
                if not layer.isValid():
                    continue
                count = sum(1 for _ in layer.getFeatures())
                geometry = QgsWkbTypes.geometryDisplayString(layer.geometryType())
                print("     %s %s: QGIS sees %d features, %s (%s); the list has %d" %
                      (sample, typename, count, geometry, QgsWkbTypes.displayString(layer.wkbType()), want_count))
                check("%s %s: %d features" % (sample, typename, want_count), count == want_count)
                check("%s %s: geometry %s" % (sample, typename, want_geometry), geometry == want_geometry)
        finally:
            server.terminate()
            server.wait()

# QGIS 3.22 may crash while tearing its providers down (after every check has run): the verdict is
# given without that teardown.
print("%d check(s) failed" % len(failures) if failures else "every check holds")
sys.stdout.flush()
os._exit(1 if failures else 0)
