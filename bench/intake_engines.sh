#!/usr/bin/env bash
# Webhook intake on PostgreSQL beside SQLite, in the same run: signed 11 KB Bitbucket Cloud
# deliveries at POST /v1/bitbucket/webhook, each kept in the inbox before its 200, with wrk at
# the given loads, first on a copy of the SQLite webhook store, then on a PostgreSQL database
# filled from it with `leadline store copy` (a server this script starts: initdb + pg_ctl,
# fsync and synchronous commit on). Prints deliveries a second, p50 and p99 of each, and the
# ratio PostgreSQL / SQLite.
#
#   PARTS=webhooks bench/server_bench.sh BUILD_DIR WORK_DIR   # makes WORK_DIR/webhooks.db once
#   bench/intake_engines.sh BUILD_DIR WORK_DIR
#
# Loads: LOADS (wrk's -t -c -d, separated by commas), default "-t2 -c4 -d10s,-t2 -c64 -d10s".
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: intake_engines.sh BUILD_DIR WORK_DIR}" && pwd)
work=$(cd "${2:?usage: intake_engines.sh BUILD_DIR WORK_DIR}" && pwd)
IFS=, read -r -a loads <<< "${LOADS:--t2 -c4 -d10s,-t2 -c64 -d10s}"
leadline=$build/src/cli/leadline
source "$bench_dir/start_postgres.sh"
[ -f "$work/webhooks.db" ] || { echo "run PARTS=webhooks bench/server_bench.sh first" >&2; exit 2; }

start_postgres -c max_connections=300
port=$pg_port
server=0
cleanup() {
  [ "$server" = 0 ] || kill "$server" 2>/dev/null || true
  stop_postgres
  rm -rf "$work/intake-copy.db"* "$work/intake-data"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -p "$port" -U leadline -d postgres -c "CREATE DATABASE intake"
pg_url="postgres://leadline@127.0.0.1:$port/intake"
"$leadline" store copy --from "$work/webhooks.db" --to "$pg_url" > /dev/null
mkdir -p "$work/intake-data"
cp "$work/webhooks.db.key" "$work/intake-data/leadline.key"
signature="sha256=$(openssl dgst -sha256 -r -hmac "$(cat "$work/webhook-secret")" \
  "$work/body.json" | cut -d' ' -f1)"

run() {  # run LOAD STORE_ARGS...: prints "rps p50 p99"
  local load=$1; shift
  "$leadline" serve --listen 127.0.0.1:0 "$@" --reconcile-every off \
    --max-connections-per-client 100000 > "$work/intake-serve.out" 2> "$work/intake-serve.log" &
  server=$!
  for _ in $(seq 100); do grep -q "Dashboard:" "$work/intake-serve.out" 2>/dev/null && break; sleep 0.1; done
  local url; url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/intake-serve.out" | head -1)
  # shellcheck disable=SC2086
  wrk --latency $load -s "$bench_dir/webhook_delivery.lua" "$url/v1/bitbucket/webhook" \
    -- "$work/body.json" "$signature" > "$work/intake-wrk.txt"
  kill "$server"; wait "$server" 2>/dev/null || true; server=0
  grep -q "Non-2xx" "$work/intake-wrk.txt" && { echo "answers other than 200:" >&2; cat "$work/intake-wrk.txt" >&2; }
  echo "$(awk '/Requests\/sec/ {print $2}' "$work/intake-wrk.txt")" \
    "$(awk '$1 == "50%" {print $2}' "$work/intake-wrk.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$work/intake-wrk.txt")"
}

echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for load in "${loads[@]}"; do
  rm -f "$work/intake-copy.db"*
  cp "$work/webhooks.db" "$work/intake-copy.db"
  cp "$work/webhooks.db.key" "$work/intake-copy.db.key"
  read -r s_rps s_p50 s_p99 <<< "$(run "$load" --db "$work/intake-copy.db")"
  read -r p_rps p_p50 p_p99 <<< "$(run "$load" --store "$pg_url" --data-dir "$work/intake-data")"
  printf "%-16s SQLite %8.0f/s p50 %-8s p99 %-8s  PostgreSQL %8.0f/s p50 %-8s p99 %-8s  ratio %.2f\n" \
    "$load" "$s_rps" "$s_p50" "$s_p99" "$p_rps" "$p_p50" "$p_p99" "$(echo "$p_rps / $s_rps" | bc -l)"
done
