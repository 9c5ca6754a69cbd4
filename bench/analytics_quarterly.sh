#!/usr/bin/env bash
# The BI issue's query figure: the quarterly-DORA-by-team SQL (bench/sql/quarterly_dora_by_team.sql,
# over metrics_quarterly; and for comparison bench/sql/quarterly_dora_from_rows.sql, the same
# numbers from the daily rows and the row tables' medians) on the analytics tables of a generated project (default the benchmark project: 20
# repositories, 1,000,020 commits, 100,000 pull requests, 20,000 deployments), its repositories
# split over TEAMS projects, on a `store copy` of it into a PostgreSQL 15 server of its own
# (bench/start_postgres.sh). RUNS runs in one psql session, as the tables' owner and as a BI role
# of every team (`leadline bi grant`: row-level security on), each run's server time from psql's
# \timing; prints p50 and p90 of each, with the load average.
#
#   bench/analytics_quarterly.sh [BUILD_DIR] [WORK_DIR]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-quarterly-bench; RUNS=21; TEAMS=4;
# SHAPE="--repositories 20 --pull-requests 5000 --deployments 1000 --incidents 100 --days 730".
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build/release}")
work=${2:-/tmp/leadline-quarterly-bench}
runs=${RUNS:-21}
teams=${TEAMS:-4}
shape=${SHAPE:---repositories 20 --pull-requests 5000 --deployments 1000 --incidents 100 --days 730}
leadline=$build/src/cli/leadline
queries="$PWD/bench/sql/quarterly_dora_by_team.sql $PWD/bench/sql/quarterly_dora_from_rows.sql"
mkdir -p "$work"
project=$work/project.db
rm -f "$project"*
"$build/bench/leadline-gen-project" --db "$project" $shape 2>/dev/null
names=""
for team in $(seq 0 $((teams - 1))); do
  repos=$(sqlite3 "$project" "SELECT group_concat(location, ',') FROM repositories \
    WHERE (id - 1) % $teams = $team")
  "$leadline" projects create "team-$team" --repos "$repos" --store "$project" \
    --data-dir "$work" >/dev/null
  names+="${names:+,}team-$team"
done

source "$(dirname "$0")/start_postgres.sh"
start_postgres
trap stop_postgres EXIT
export PGOPTIONS="-c client_min_messages=warning"
url="postgres://leadline@127.0.0.1:$pg_port/postgres"
"$leadline" migrate --store "$url" --data-dir "$work" >/dev/null
"$leadline" store copy --from "$project" --to "$url" >/dev/null
"$leadline" analytics refresh --store "$url" --data-dir "$work"
"$leadline" bi grant --role bi_teams --projects "$names" --store "$url" --data-dir "$work"
psql_run() { psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U leadline postgres "$@"; }
psql_run -c "VACUUM ANALYZE"
echo "rows: $(psql_run -c "SELECT (SELECT count(*) FROM leadline_analytics.changes) || ' changes, ' \
  || (SELECT count(*) FROM leadline_analytics.metrics_daily) || ' daily rows, ' \
  || (SELECT count(*) FROM leadline_analytics.deployments) || ' deployments'")"
# time_query QUERY LABEL [SET ROLE ...]: RUNS runs of QUERY in one session, p50 and p90 of
# \timing.
time_query() {
  local query=$1 label=$2 prelude=${3:-}
  {
    echo "$prelude"
    echo '\timing on'
    for _ in $(seq "$runs"); do cat "$query"; done
  } | psql_run -o /dev/null | awk '/^Time:/ { print $2 }' | sort -n |
    awk -v label="$label" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
      { t[++n] = $1 }
      END {
        printf "%-36s p50 %8.1f ms   p90 %8.1f ms   (%d runs, load %s)\n", label,
          t[int((n + 1) / 2)], t[int(n * 0.9 + 0.5)], n, load
      }'
}
for query in $queries; do
  echo "$(basename "$query"), its result as the owner:"
  psql_run -F ' | ' -f "$query"
  time_query "$query" "owner (no row-level security)"
  time_query "$query" "BI role of every team (RLS)" "SET ROLE bi_teams;"
done
