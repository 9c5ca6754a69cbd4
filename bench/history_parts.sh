#!/usr/bin/env bash
# A first store of the benchmark repository's history (151,947 commits) into SQLite while the
# webhook intake writes to the same store: in one transaction and in parts, alternately (see
# bench/history_parts_bench.cpp). Generates the repository once, as report_vs_revlist.sh does.
#   bench/history_parts.sh BUILD_DIR WORK_DIR        # ROUNDS (default 3), PARTS (default 20000)
set -euo pipefail
build=$(cd "${1:?usage: history_parts.sh BUILD_DIR WORK_DIR}" && pwd)
work=${2:?usage: history_parts.sh BUILD_DIR WORK_DIR}
mkdir -p "$work"
repo=$work/repo
if [ ! -d "$repo/.git" ]; then
  echo "generating $repo ..." >&2
  git init -q -b main "$repo"
  "$build/bench/leadline-gen-repo" --commits 80000 --tags 400 --seed 7 --end-time 1767225600 \
    --days 1500 | git -C "$repo" fast-import --quiet --done
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/leadline_history_parts_bench" --repo "$repo" --dir "$work" \
  --rounds "${ROUNDS:-3}" --parts "${PARTS:-20000}"
