#!/usr/bin/env bash
# The BI issue's refresh figures: on a generated project (default the benchmark project: 20
# repositories, 1,000,020 commits, 100,000 pull requests, 20,000 deployments, in one project
# "bench"), `leadline analytics refresh --full` (every row rewritten) and then, after one new
# deployment pushed to one repository, `leadline analytics refresh` (only that repository and its
# project rewritten), RUNS times each, on SQLite and on PostgreSQL (a `store copy` of the SQLite
# store into a PostgreSQL server of its own, bench/start_postgres.sh). Each line gives the
# command's wall time (it builds the metrics view from the store first) and the refresh's own
# time (making the rows and the transaction), with the load average.
#
#   bench/analytics_refresh.sh [BUILD_DIR] [WORK_DIR]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-analytics-bench; RUNS=3; the shape
# by SHAPE="--repositories 20 --pull-requests 5000 --deployments 1000 --incidents 100 --days 730";
# ENGINES="sqlite postgres". See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build/release}")
work=${2:-/tmp/leadline-analytics-bench}
runs=${RUNS:-3}
shape=${SHAPE:---repositories 20 --pull-requests 5000 --deployments 1000 --incidents 100 --days 730}
engines=${ENGINES:-sqlite postgres}
leadline=$build/src/cli/leadline
mkdir -p "$work"
project=$work/project.db
rm -f "$project"*
"$build/bench/leadline-gen-project" --db "$project" $shape 2>/dev/null
repos=$(sqlite3 "$project" "SELECT group_concat(location, ',') FROM repositories")
"$leadline" projects create bench --repos "$repos" --store "$project" --data-dir "$work" >/dev/null
# The project's own rows, which push_one reads its commits from (store copy leaves them out).
"$leadline" analytics refresh --store "$project" --data-dir "$work" >/dev/null
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }

# run_refresh STORE LABEL ARGS...: one refresh, timed.
run_refresh() {
  local store=$1 label=$2
  shift 2
  local start out
  start=$(now)
  out=$("$leadline" analytics refresh "$@" --store "$store" --data-dir "$work")
  awk -v start="$start" -v end="$(now)" -v label="$label" -v out="$out" -v load="$(load)" \
    'BEGIN { printf "%-28s wall %7.2f s   %s   (load %s)\n", label, end - start, out, load }'
}

# push_one STORE N: the first repository's Nth newest release deployed again (a rollback), an
# hour ago (after every generated deployment), as CI would report it: a new deployment that
# ships no change.
push_one() {
  local store=$1 n=$2
  local sha at
  sha=$(sqlite3 "$project" "SELECT sha FROM analytics_deployments WHERE repository = \
    'bench/repo-0' ORDER BY finished_at DESC LIMIT 1 OFFSET $n")
  at=$(date -u -d "@$(($(date +%s) - 3600 + n))" +%Y-%m-%dT%H:%M:%SZ)
  printf '{"deployments": [{"id": "bench-%s", "repository": "bench/repo-0", "environment": "production", "commit": "%s", "status": "success", "finished_at": "%s"}]}' \
    "$n" "$sha" "$at" > "$work/one.json"
  "$leadline" deployments import "$work/one.json" --store "$store" --data-dir "$work" >/dev/null
}

measure() {
  local store=$1 engine=$2
  run_refresh "$store" "$engine: first refresh" >/dev/null
  for run in $(seq "$runs"); do
    run_refresh "$store" "$engine: full rebuild $run" --full
    push_one "$store" "$run"
    run_refresh "$store" "$engine: one new deployment $run"
    run_refresh "$store" "$engine: nothing new $run"
  done
}

echo "shape: $shape; $(sqlite3 "$project" "SELECT count(*) FROM commits") commits"
for engine in $engines; do
  if [ "$engine" = sqlite ]; then
    cp "$project" "$work/sqlite.db"
    measure "$work/sqlite.db" sqlite
  else
    source "$(dirname "$0")/start_postgres.sh"
    start_postgres
    trap stop_postgres EXIT
    export PGOPTIONS="-c client_min_messages=warning"
    url="postgres://leadline@127.0.0.1:$pg_port/postgres"
    "$leadline" migrate --store "$url" --data-dir "$work" >/dev/null
    "$leadline" store copy --from "$project" --to "$url" >/dev/null
    measure "$url" postgres
  fi
done
