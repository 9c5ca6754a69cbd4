#!/usr/bin/env bash
# The README's main command: installs what is missing, builds Leadline, its dashboard and the
# local Bitbucket double, then runs `leadline demo`: a generated organisation (20 repositories in
# two projects, a year of history) connected, backfilled into the embedded SQLite store and
# served with the dashboard until Ctrl-C. Extra arguments go to `leadline demo` (e.g.
# --listen 127.0.0.1:9090, --repositories 8).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADLINE_BUILD_TESTS=ON \
  >/dev/null
ninja -C build/release leadline leadline-bitbucket-double >&2
scripts/build-web.sh >&2
exec build/release/src/cli/leadline demo --dir .demo "$@"
