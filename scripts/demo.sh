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
repo=$demo/sample-service
if [ ! -d "$repo/.git" ] || [ -n "$(find "$repo" -maxdepth 0 -mtime +0)" ]; then
  rm -rf "$demo"
  mkdir -p "$demo"
  git init -q -b main "$repo"
  build/release/bench/leadline-gen-repo --commits 3000 --tags 60 --days 365 --seed 42 |
    git -C "$repo" fast-import --quiet --done
  echo "sample repository: $repo ($(git -C "$repo" rev-list --all --count) commits," \
    "$(git -C "$repo" tag | wc -l) release tags)" >&2
fi
exec build/release/src/cli/leadline report --git "$repo" --db "$demo/leadline.db" "$@"
