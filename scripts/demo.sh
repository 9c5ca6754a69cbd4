#!/usr/bin/env bash
# The README's main command: installs what the build needs, builds Leadline, generates a sample
# repository (a year of commits, feature branches, release tags, reverts and hotfixes, ending
# now) and prints its DORA report from the embedded SQLite store. Extra arguments go to
# `leadline report` (e.g. --format json, --window 30d, --benchmark 2024).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADLINE_BUILD_TESTS=OFF \
  >/dev/null
ninja -C build/release leadline leadline-gen-repo >&2

demo=.demo
# A fresh sample each day, so that its history always ends today.
if [ ! -d "$demo/repo/.git" ] || [ -n "$(find "$demo/repo" -maxdepth 0 -mtime +0)" ]; then
  rm -rf "$demo"
  mkdir -p "$demo"
  git init -q -b main "$demo/repo"
  build/release/bench/leadline-gen-repo --commits 3000 --tags 60 --days 365 --seed 42 |
    git -C "$demo/repo" fast-import --quiet --done
  echo "sample repository: $demo/repo ($(git -C "$demo/repo" rev-list --all --count) commits," \
    "$(git -C "$demo/repo" tag | wc -l) release tags)" >&2
fi
exec build/release/src/cli/leadline report --git "$demo/repo" --db "$demo/leadline.db" "$@"
