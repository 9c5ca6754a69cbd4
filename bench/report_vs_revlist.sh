#!/usr/bin/env bash
# The foundation issue's figures, side by side in one run:
#   1. `git rev-list --count NEW ^PREV` for each consecutive pair of release tags (after
#      `git commit-graph write`), the way a script would compute changes per release;
#   2. `leadline report` on the same repository: the first run (reads the whole history from git
#      into a fresh store) and a second run on the unchanged repository (store already filled);
#   3. the commit graph's memory per commit (leadline_graph_bench).
# It also checks that every change_count equals git's count.
#
#   bench/report_vs_revlist.sh [BUILD_DIR] [WORK_DIR]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-bench. The repository is generated
# once (80,000 main-line commits, 400 release tags plus maintenance tags) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
work=${2:-/tmp/leadline-bench}
runs=5
leadline=$build/src/cli/leadline
mkdir -p "$work"
repo=$work/repo

if [ ! -d "$repo/.git" ]; then
  echo "generating $repo ..." >&2
  git init -q -b main "$repo"
  "$build/bench/leadline-gen-repo" --commits 80000 --tags 400 --seed 7 --end-time 1767225600 \
    --days 1500 | git -C "$repo" fast-import --quiet --done
  git -C "$repo" commit-graph write --reachable
fi

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
args=(report --git "$repo" --window all --until 2026-01-02T00:00:00Z --format json)

# The first report, from an empty store, also lists the deployments for the git loop.
rm -f "$work/bench.db"*
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

git_times=()
for _ in $(seq $runs); do
  start=$(now)
  while read -r new old expected; do
    count=$(git -C "$repo" rev-list --count "$new" "^$old")
    [ "$count" = "$expected" ] || { echo "MISMATCH: $new ^$old: git $count, leadline $expected" >&2; exit 1; }
  done < "$work/pairs.txt"
  git_times+=("$(echo "$(now) - $start" | bc)")
done
git_median=$(printf '%s\n' "${git_times[@]}" | median)

warm_times=()
for _ in $(seq $runs); do
  start=$(now)
  "$leadline" "${args[@]}" --db "$work/bench.db" > "$work/warm.json"
  warm_times+=("$(echo "$(now) - $start" | bc)")
done
warm_median=$(printf '%s\n' "${warm_times[@]}" | median)
cmp -s "$work/report.json" "$work/warm.json" || { echo "second report differs from the first" >&2; exit 1; }

commits=$(git -C "$repo" rev-list --all --count)
echo "repository: $commits commits, $(git -C "$repo" tag | wc -l) tags, $pairs consecutive pairs"
echo "change_count matches git rev-list --count for all $pairs pairs"
printf 'git rev-list --count per pair (median of %d): %.3f s\n' $runs "$git_median"
printf 'leadline report, store filled (median of %d): %.3f s  -> %.1fx faster than git\n' \
  $runs "$warm_median" "$(echo "$git_median / $warm_median" | bc -l)"
printf 'leadline report, first run from an empty store: %.3f s  -> %.2fx of git\n' \
  "$cold" "$(echo "$git_median / $cold" | bc -l)"
"$build/bench/leadline_graph_bench" --db "$work/bench.db" --repo "$(cd "$repo" && pwd -P)" \
  --benchmark_min_time=0.5 2>/dev/null | grep -E 'commit graph|^BM_'
