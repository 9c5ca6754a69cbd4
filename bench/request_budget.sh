#!/usr/bin/env bash
# The cost of one request budget reservation shared through the store, on SQLite and on
# PostgreSQL in the same run: leadline_request_budget_bench (bench/request_budget_bench.cpp) on a
# fresh SQLite file, then on an empty database of a PostgreSQL server it starts (initdb + pg_ctl,
# a temporary directory, a free port, durable: fsync and synchronous commit on, as in production).
#
#   bench/request_budget.sh [BUILD_DIR] [WORK_DIR] [RESERVATIONS] [PROCESSES]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-budget-bench, RESERVATIONS=5000,
# PROCESSES=4.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
work=${2:-/tmp/leadline-budget-bench}
reservations=${3:-5000}
processes=${4:-4}
leadline=$(realpath "$build/src/cli/leadline")
bench=$(realpath "$build/bench/leadline_request_budget_bench")
source "$(dirname "$0")/start_postgres.sh"
mkdir -p "$work"
rm -f "$work/budget.db"*

echo "SQLite (WAL, synchronous=NORMAL):"
"$bench" --store "sqlite:$work/budget.db" --reservations "$reservations" --processes "$processes"

start_postgres
trap stop_postgres EXIT
psql -q -h 127.0.0.1 -p "$pg_port" -U leadline -d postgres -c "CREATE DATABASE budget"
url="postgres://leadline@127.0.0.1:$pg_port/budget"
"$leadline" migrate --store "$url" --data-dir "$work" >/dev/null
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (loopback, fsync on):"
"$bench" --store "$url" --reservations "$reservations" --processes "$processes"
