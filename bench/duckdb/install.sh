#!/usr/bin/env bash
# Installs DuckDB's Node package (bench/duckdb/node_modules) for the metric benchmark, from the
# lock file, only when the lock file changed since the last install. Needs Node 20 and npm; DuckDB
# is not a Debian package, and its npm package ships the native library for this platform.
set -euo pipefail
cd "$(dirname "$0")"
[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
