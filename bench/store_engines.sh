#!/usr/bin/env bash
# The PostgreSQL store beside the SQLite one, in the same run, on the same generated history:
#   1. a first `leadline report --git` into an empty store (the history read from git and
#      written: 20,000 commits by default);
#   2. a repeat report on the unchanged repository (the snapshot loaded back from the store);
#   3. `leadline store copy` of the SQLite store into an empty PostgreSQL database (rows a second).
# It starts its own PostgreSQL (initdb + pg_ctl, a temporary directory, a free port, durable:
# fsync on, as in production), checks both engines report the same numbers, and prints each time
# as median (min-max) of RUNS runs (default 5) with their ratio.
#
#   bench/store_engines.sh [BUILD_DIR] [WORK_DIR] [COMMITS]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-store-bench, COMMITS=20000.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
work=${2:-/tmp/leadline-store-bench}
commits=${3:-20000}
runs=${RUNS:-5}
leadline=$(realpath "$build/src/cli/leadline")
source "$(dirname "$0")/start_postgres.sh"
mkdir -p "$work"
repo=$work/repo-$commits

if [ ! -d "$repo/.git" ]; then
  git init -q -b main "$repo"
  "$build/bench/leadline-gen-repo" --commits "$commits" --tags $((commits / 200)) --seed 7 \
    --end-time 1767225600 --days 900 | git -C "$repo" fast-import --quiet --done
  git -C "$repo" reset -q --hard main
fi

start_postgres
trap stop_postgres EXIT
port=$pg_port

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spread() { sort -n | awk '{a[NR]=$1} END {printf "%.3f-%.3f", a[1], a[NR]}'; }
args=(report --git "$repo" --window all --until 2026-01-02T00:00:00Z --format json)
timed() {  # timed OUT_FILE ARGS...: prints the seconds
  local out=$1; shift
  local start; start=$(now)
  "$leadline" "${args[@]}" "$@" > "$out"
  echo "$(now) - $start" | bc
}

declare -A times
for run in $(seq "$runs"); do
  rm -f "$work/bench.db"*
  times[sqlite_first]+="$(timed "$work/sqlite.json" --db "$work/bench.db") "
  times[sqlite_repeat]+="$(timed "$work/sqlite.json" --db "$work/bench.db") "
  psql -q -h 127.0.0.1 -p "$port" -U leadline -d postgres -c "DROP DATABASE IF EXISTS bench" \
    -c "CREATE DATABASE bench"
  url="postgres://leadline@127.0.0.1:$port/bench"
  "$leadline" migrate --store "$url" --data-dir "$work" >/dev/null
  times[pg_first]+="$(timed "$work/pg.json" --store "$url" --data-dir "$work") "
  times[pg_repeat]+="$(timed "$work/pg.json" --store "$url" --data-dir "$work") "
done
cmp -s "$work/sqlite.json" "$work/pg.json" || { echo "the engines' reports differ" >&2; exit 1; }

psql -q -h 127.0.0.1 -p "$port" -U leadline -d postgres -c "CREATE DATABASE copy"
start=$(now)
"$leadline" store copy --from "$work/bench.db" --to "postgres://leadline@127.0.0.1:$port/copy" \
  > "$work/copy.txt"
copy_seconds=$(echo "$(now) - $start" | bc)
copy_rows=$(awk 'NR > 1 && $2 ~ /^[0-9]+$/ {n += $2} END {print n}' "$work/copy.txt")

echo "history: $commits commits, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for what in first repeat; do
  s=$(echo "${times[sqlite_$what]}" | tr ' ' '\n' | grep . | median)
  p=$(echo "${times[pg_$what]}" | tr ' ' '\n' | grep . | median)
  printf "%-7s report  SQLite %.3f s (%s)  PostgreSQL %.3f s (%s)  PostgreSQL/SQLite %.2fx\n" \
    "$what" "$s" "$(echo "${times[sqlite_$what]}" | tr ' ' '\n' | grep . | spread)" \
    "$p" "$(echo "${times[pg_$what]}" | tr ' ' '\n' | grep . | spread)" "$(echo "$p / $s" | bc -l)"
done
printf "store copy  %d rows in %.2f s: %.0f rows a second\n" "$copy_rows" "$copy_seconds" \
  "$(echo "$copy_rows / $copy_seconds" | bc -l)"
