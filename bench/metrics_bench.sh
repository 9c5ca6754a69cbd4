#!/usr/bin/env bash
# The engine issue's metric figures with both peers in one run: installs DuckDB's Node package
# (bench/duckdb/install.sh), then runs leadline_metrics_bench, which times the engine, SQL in
# SQLite and DuckDB over the same derived rows and fails if any peer's figures differ.
#
#   bench/metrics_bench.sh [BUILD_DIR] [WORK_DIR] [leadline_metrics_bench flags...]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-metrics-bench (the project is
# generated there once and reused). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
work=${2:-/tmp/leadline-metrics-bench}
shift $(($# < 2 ? $# : 2))
bench/duckdb/install.sh >&2
exec "$build/bench/leadline_metrics_bench" --dir "$work" --duckdb bench/duckdb/metrics.mjs \
  --runs 15 "$@"
