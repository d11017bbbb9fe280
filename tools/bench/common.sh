# Sourced by tools/bench/check, tools/bench/proximity and tools/bench/http: installs what is
# missing, builds the benchmark programs (or keepout), and runs a throwaway PostgreSQL 15 +
# PostGIS cluster on loopback.
# Callers set `root` and call bench_cleanup from their EXIT trap.

pg_bin=/usr/lib/postgresql/15/bin
pg_port="${PG_PORT:-55432}"
build_dir="${BUILD_DIR:-$root/build-bench}"
pg_dir=""
work=""

bench_setup() {
  if [ ! -x "$pg_bin/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ] ||
     ! command -v pgbench >/dev/null || ! command -v psql >/dev/null; then
    "$root/tools/setup" bench
  fi
}

# Configures (once) and builds the given targets (default: the two benchmark programs); -j1 so a
# shared machine keeps a core.
bench_build() {
  local targets=("$@")
  [ ${#targets[@]} -gt 0 ] || targets=(keepout-check-bench keepout-proximity-bench)
  if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build_dir" -DKEEPOUT_BENCH=ON -DKEEPOUT_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
  fi
  cmake --build "$build_dir" -j1 --target "${targets[@]}" >&2
}

bench_workdir() {
  work="$(mktemp -d /tmp/keepout-bench-"$1".XXXXXX)"
  chmod 755 "$work"
}

# A fresh cluster in a temporary directory, owned by the postgres user when we are root (initdb
# refuses to run as root), listening on 127.0.0.1:$pg_port only. Durability is off: the cluster
# is thrown away, and only reads are measured.
pg_start() {
  pg_dir="$(mktemp -d /tmp/keepout-bench-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pg_dir"
    as=(runuser -u postgres --)
  fi
  if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" 2>/dev/null; then
    echo "bench: port $pg_port is taken; set PG_PORT" >&2
    exit 1
  fi
  "${as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-sync >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log" >&2; exit 1; }
  "${as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir" \
    -o "-c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_wal_size=4GB" \
    -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null ||
    { cat "$pg_dir/server.log" >&2; exit 1; }
  pg_sql -c "CREATE EXTENSION postgis" >/dev/null
}

pg_stop() {
  [ -n "$pg_dir" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  pg_dir=""
}

# Through the Unix socket: the fastest way in, so PostGIS is not slowed by loopback TCP.
pg_sql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres -d postgres "$@"; }

pg_version() { pg_sql -At -c "SELECT split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version()"; }

# Loads venues (id,wkt CSV) into `venues(id, geog geography)` with a GiST index.
pg_load_venues() {
  local csv="$1"
  pg_sql <<SQL
DROP TABLE IF EXISTS venues, venues_raw;
CREATE UNLOGGED TABLE venues_raw (id bigint, wkt text);
\copy venues_raw (id, wkt) FROM '$csv' CSV HEADER
CREATE TABLE venues AS SELECT id, ST_GeogFromText(wkt) AS geog FROM venues_raw;
DROP TABLE venues_raw;
ALTER TABLE venues ADD PRIMARY KEY (id);
CREATE INDEX venues_geog ON venues USING gist (geog);
VACUUM ANALYZE venues;
SQL
}

# Loads sites (id,lon,lat CSV) into `sites(id, geog geography)` with a GiST index.
pg_load_sites() {
  local csv="$1"
  pg_sql <<SQL
DROP TABLE IF EXISTS sites, sites_raw;
CREATE UNLOGGED TABLE sites_raw (id bigint, lon float8, lat float8);
\copy sites_raw FROM '$csv' CSV HEADER
CREATE TABLE sites AS SELECT id, ST_MakePoint(lon, lat)::geography AS geog FROM sites_raw;
DROP TABLE sites_raw;
ALTER TABLE sites ADD PRIMARY KEY (id);
CREATE INDEX sites_geog ON sites USING gist (geog);
VACUUM ANALYZE sites;
SQL
}

# The proximity join keepout is measured against: every site–venue pair within $1 metres with
# geodesic distance and bearing, summed so only one row comes back. ST_Azimuth takes points: for a
# footprint venue the bearing goes to its point nearest the site (as keepout's does); point venues,
# three quarters of them, go straight in.
pg_proximity_query() {
  echo "SELECT count(*), sum(d), sum(az) FROM (
  SELECT s.id AS site, v.id AS venue, ST_Distance(s.geog, v.geog) AS d,
         degrees(ST_Azimuth(s.geog, CASE WHEN ST_GeometryType(v.geog::geometry) = 'ST_Point' THEN v.geog
                                          ELSE ST_ClosestPoint(v.geog::geometry, s.geog::geometry)::geography END)) AS az
  FROM sites s JOIN venues v ON ST_DWithin(s.geog, v.geog, $1)) AS pairs"
}

bench_cleanup() {
  pg_stop
  if [ -n "$work" ]; then
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  fi
}

# awk helpers for the tables.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "—" }'; }
