#!/usr/bin/env bash
# Builds the dashboard (web/ -> web/dist) when anything in web/ changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/../web"

stamp=dist/index.html
changed() {
  [ ! -f "$stamp" ] ||
    [ -n "$(find . \( -path ./node_modules -o -path ./dist -o -path ./tests \) -prune -o \
      -type f -newer "$stamp" -print -quit)" ]
}
changed || exit 0
# npm ci only when the lock file changed since the last install.
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run build
