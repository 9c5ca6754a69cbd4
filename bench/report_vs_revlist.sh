#!/usr/bin/env bash
# The foundation issue's figures, side by side in one run:
#   1. `git rev-list --count NEW ^PREV` for each consecutive pair of release tags (after
#      `git commit-graph write`), the way a script would compute changes per release;
#   2. `leadline report` on the same repository: the first run (reads the whole history from git
#      into a fresh store) and a second run on the unchanged repository (store already filled);
#   3. the commit graph's memory per commit (leadline_graph_bench).
# It also checks that every change_count equals git's count.
#
#   bench/report_vs_revlist.sh [BUILD_DIR] [WORK_DIR] [SHAPE]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-bench, SHAPE=features. The repository
# is generated once per shape into WORK_DIR/SHAPE and reused:
#   features     80,000 main-line commits (152k in all), 400 release tags plus 20 maintenance tags;
#   maintenance  45,000 main-line commits (86k in all), 90 releases each opening a maintenance
#                line kept for 10 releases, with patch releases merged back (406 tags in all).
# Every time is measured RUNS times (default 5), alternating first and repeat reports with the
# git loop, and printed as median (min-max): the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
shape=${3:-features}
work=${2:-/tmp/leadline-bench}/$shape
runs=${RUNS:-5}
leadline=$build/src/cli/leadline
case $shape in
  features) shape_args=(--commits 80000 --tags 400) ;;
  maintenance) shape_args=(--commits 45000 --tags 90 --maintenance-lines 10) ;;
  *) echo "unknown shape '$shape': features or maintenance" >&2; exit 2 ;;
esac
mkdir -p "$work"
repo=$work/repo

if [ ! -d "$repo/.git" ]; then
  echo "generating $repo ..." >&2
  git init -q -b main "$repo"
  "$build/bench/leadline-gen-repo" "${shape_args[@]}" --seed 7 --end-time 1767225600 \
    --days 1500 | git -C "$repo" fast-import --quiet --done
  git -C "$repo" commit-graph write --reachable
fi

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
spread() { sort -n | awk '{a[NR]=$1} END {printf "%.3f-%.3f", a[1], a[NR]}'; }
args=(report --git "$repo" --window all --until 2026-01-02T00:00:00Z --format json)

# The first report, from an empty store, also lists the deployments for the git loop.
rm -rf "$work/bench.db"*
start=$(now)
"$leadline" "${args[@]}" --db "$work/bench.db" > "$work/report.json"
cold=$(echo "$(now) - $start" | bc)

python3 - "$work/report.json" > "$work/pairs.txt" <<'PY'
import json, sys
previous = None
for d in json.load(open(sys.argv[1]))["deployments"]:
    if previous:
        print(d["sha"], previous["sha"], d["change_count"])
    if d["status"] == "success":
        previous = d
PY
pairs=$(wc -l < "$work/pairs.txt")

git_loop() {
  while read -r new old expected; do
    count=$(git -C "$repo" rev-list --count "$new" "^$old")
    [ "$count" = "$expected" ] || { echo "MISMATCH: $new ^$old: git $count, leadline $expected" >&2; exit 1; }
  done < "$work/pairs.txt"
}

# Rounds of: the git loop, a repeat report (store filled), a first report into a new store.
git_times=()
warm_times=()
cold_times=("$cold")
for round in $(seq $runs); do
  start=$(now)
  git_loop
  git_times+=("$(echo "$(now) - $start" | bc)")

  start=$(now)
  "$leadline" "${args[@]}" --db "$work/bench.db" > "$work/warm.json"
  warm_times+=("$(echo "$(now) - $start" | bc)")
  cmp -s "$work/report.json" "$work/warm.json" || { echo "second report differs from the first" >&2; exit 1; }

  if [ "$round" -lt "$runs" ]; then
    rm -rf "$work/cold.db"*
    start=$(now)
    "$leadline" "${args[@]}" --db "$work/cold.db" > "$work/cold.json"
    cold_times+=("$(echo "$(now) - $start" | bc)")
    cmp -s "$work/report.json" "$work/cold.json" || { echo "first reports differ" >&2; exit 1; }
  fi
done
rm -rf "$work/cold.db"*
git_median=$(printf '%s\n' "${git_times[@]}" | median)
warm_median=$(printf '%s\n' "${warm_times[@]}" | median)
cold_median=$(printf '%s\n' "${cold_times[@]}" | median)

commits=$(git -C "$repo" rev-list --all --count)
echo "repository: $commits commits, $(git -C "$repo" tag | wc -l) tags, $pairs consecutive pairs"
echo "change_count matches git rev-list --count for all $pairs pairs"
printf 'git rev-list --count per pair (median of %d): %.3f s (%s)\n' $runs "$git_median" \
  "$(printf '%s\n' "${git_times[@]}" | spread)"
printf 'leadline report, store filled (median of %d): %.3f s (%s)  -> %.1fx faster than git\n' \
  $runs "$warm_median" "$(printf '%s\n' "${warm_times[@]}" | spread)" \
  "$(echo "$git_median / $warm_median" | bc -l)"
printf 'leadline report, first run from an empty store (median of %d): %.3f s (%s)  -> %.2fx faster than git\n' \
  $runs "$cold_median" "$(printf '%s\n' "${cold_times[@]}" | spread)" \
  "$(echo "$git_median / $cold_median" | bc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/leadline_graph_bench" --db "$work/bench.db" --repo "$(cd "$repo" && pwd -P)" \
  --benchmark_min_time=0.5 2>/dev/null | grep -E 'commit graph|^BM_'
