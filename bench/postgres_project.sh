#!/usr/bin/env bash
# The PostgreSQL issue's figures on the benchmark project (1,000,020 commits, 100,000 pull
# requests, 20,000 deployments: the metrics benchmark's shape), each beside SQLite in the same run:
#   1. `leadline store copy` of the project's SQLite store into an empty PostgreSQL database, RUNS
#      times: rows a second in all and per table (each table's time includes its verification:
#      counted and checksummed on both sides);
#   2. the server's metrics view built from each store (leadline_snapshot_bench: the SQLite file
#      and the first copy, vacuumed as autovacuum would leave it), SNAPSHOT_RUNS times
#      alternately (default 5, a few seconds each);
#   3. a backfill against the Bitbucket double (leadline_sync_bench, 20 repositories x 1,000 pull
#      requests, as many at once as `leadline sync` syncs on each store, or JOBS) into a new
#      SQLite file and into a new PostgreSQL database, RUNS times alternately: pull requests
#      stored a second.
# It starts its own PostgreSQL (bench/start_postgres.sh: fsync on, as in production) and prints
# the load average with each figure. About 5 minutes with RUNS=2 on 2 cores.
#
#   bench/postgres_project.sh [BUILD_DIR] [WORK_DIR]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-postgres-bench (the project is
# generated there once, about 10 s, 220 MB, and reused); RUNS=2, SNAPSHOT_RUNS=5. See
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build/release}")
work=${2:-/tmp/leadline-postgres-bench}
runs=${RUNS:-2}
snapshot_runs=${SNAPSHOT_RUNS:-5}
leadline=$build/src/cli/leadline
source "$(dirname "$0")/start_postgres.sh"
mkdir -p "$work"
project=$work/project.db

if [ ! -f "$work/project.done" ]; then
  rm -f "$project"*
  "$build/bench/leadline-gen-project" --db "$project" --repositories 20 --pull-requests 5000 \
    --deployments 1000 --incidents 100 --days 730 2>/dev/null
  touch "$work/project.done"
fi

start_postgres
trap stop_postgres EXIT
export PGOPTIONS="-c client_min_messages=warning"  # no notice that a dropped database was missing
base="postgres://leadline@127.0.0.1:$pg_port"
new_database() {  # new_database NAME: an empty database at this build's schema
  psql -q -h 127.0.0.1 -p "$pg_port" -U leadline -d postgres -c "DROP DATABASE IF EXISTS $1" \
    -c "CREATE DATABASE $1"
  "$leadline" migrate --store "$base/$1" --data-dir "$work" >/dev/null
}
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== store copy, SQLite to PostgreSQL"
for run in $(seq "$runs"); do
  psql -q -h 127.0.0.1 -p "$pg_port" -U leadline -d postgres -c "DROP DATABASE IF EXISTS copy$run" \
    -c "CREATE DATABASE copy$run"
  echo "run $run, load average $(load)"
  start=$(now)
  # Each table's line is printed when it is done: its time is the gap since the previous line.
  "$leadline" store copy --from "$project" --to "$base/copy$run" |
    while IFS= read -r line; do echo "$(now) $line"; done > "$work/copy$run.txt"
  awk -v start="$start" '
    $3 ~ /^[0-9]+$/ && $3 > 0 {
      printf "  %-22s %9d rows %7.2f s %8.0f rows/s\n", $2, $3, $1 - last, $3 / ($1 - last) }
    $3 ~ /^[0-9]+$/ { rows += $3 }
    NF > 1 { last = (last == "" ? start : $1) }
    END { printf "  all tables             %9d rows %7.2f s %8.0f rows/s\n", rows, last - start,
          rows / (last - start) }' "$work/copy$run.txt"
  grep -q "every table verified" "$work/copy$run.txt" || { echo "the copy failed" >&2; exit 1; }
done

# Settled as autovacuum would leave them, so that its work on a million new rows falls in no
# figure below: the first copy vacuumed and analysed, the others dropped.
for run in $(seq 2 "$runs"); do
  psql -q -h 127.0.0.1 -p "$pg_port" -U leadline -d postgres -c "DROP DATABASE copy$run"
done
start=$(now)
psql -q -h 127.0.0.1 -p "$pg_port" -U leadline -d copy1 -c "VACUUM (ANALYZE)"
printf "VACUUM (ANALYZE) of the copy: %.1f s\n" "$(echo "$(now) - $start" | bc)"

echo "== metrics view built from the store (MetricsSnapshots::Build)"
"$build/bench/leadline_snapshot_bench" --store "$project" --store "$base/copy1" \
  --runs "$snapshot_runs" \
  --data-dir "$work/data"

echo "== backfill against the Bitbucket double (Bitbucket Cloud, 20 x 1,000 pull requests)"
sync_rate() {  # sync_rate [--store URL]: the backfill's pull requests a second
  "$build/bench/leadline_sync_bench" --repos 20 --pull-requests 1000 --pipelines 100 \
    --deployments 50 --dir "$work/sync" ${JOBS:+--jobs "$JOBS"} "$@" > "$work/sync.txt"
  grep '^backfill:' "$work/sync.txt" | sed 's/^/  /' >&2
  sed -n 's/^pull requests stored per second.*: \([0-9]*\)$/\1/p' "$work/sync.txt"
}
for run in $(seq "$runs"); do
  echo "run $run, load average $(load)"
  sqlite=$(sync_rate)
  echo "  SQLite: $sqlite pull requests/s"
  new_database sync
  postgres=$(sync_rate --store "$base/sync")
  printf "  PostgreSQL: %s pull requests/s, PostgreSQL/SQLite %.2f\n" "$postgres" \
    "$(echo "$postgres / $sqlite" | bc -l)"
done
echo "load average at the end: $(load)"
