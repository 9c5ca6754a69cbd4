#!/usr/bin/env bash
# Webhook intake on PostgreSQL beside SQLite, in the same run: signed 11 KB Bitbucket Cloud
# deliveries at POST /v1/bitbucket/webhook, each kept in the inbox before its 200, with wrk at
# the given loads, first on a copy of the SQLite webhook store, then on a PostgreSQL database
# filled from it with `leadline store copy` (a server this script starts: initdb + pg_ctl,
# fsync and synchronous commit on), by one server or by several on the one database. Prints
# deliveries a second, p50 and p99 of each, and the ratio PostgreSQL / SQLite; checks that the
# inbox holds a row for every 200. SQLite runs twice: as shipped (`synchronous=normal`: a commit
# survives a crash of the process, not a power loss) and with every commit flushed to disk
# (`sqlite:PATH?synchronous=full`), the durability PostgreSQL gives by default; the ratios are
# to each ("ratio" and "flushed").
#
#   PARTS=webhooks bench/server_bench.sh BUILD_DIR WORK_DIR   # makes WORK_DIR/webhooks.db once
#   bench/intake_engines.sh BUILD_DIR WORK_DIR
#
# Loads: LOADS (wrk's -t -c -d, separated by commas), default "-t2 -c4 -d10s,-t2 -c64 -d10s".
# SERVERS: the counts of PostgreSQL servers to run each load on (default "1"; "1 3" runs one, then
# three, wrk's threads spread over them in turn: -t must be a multiple of each count).
# STORE_CONNECTIONS: --store-connections of the PostgreSQL servers (default: serve's own).
# PG_SQL: SQL run on the PostgreSQL database once it is filled (to try a table setting).
# SQLITE_FLUSHED=0 skips SQLite's run with flushed commits.
set -euo pipefail
trap 'echo "intake_engines.sh: line $LINENO failed" >&2' ERR
bench_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: intake_engines.sh BUILD_DIR WORK_DIR}" && pwd)
work=$(cd "${2:?usage: intake_engines.sh BUILD_DIR WORK_DIR}" && pwd)
IFS=, read -r -a loads <<< "${LOADS:--t2 -c4 -d10s,-t2 -c64 -d10s}"
read -r -a server_counts <<< "${SERVERS:-1}"
pg_options=()
[ -z "${STORE_CONNECTIONS:-}" ] || pg_options=(--store-connections "$STORE_CONNECTIONS")
leadline=$build/src/cli/leadline
source "$bench_dir/start_postgres.sh"
[ -f "$work/webhooks.db" ] || { echo "run PARTS=webhooks bench/server_bench.sh first" >&2; exit 2; }
for load in "${loads[@]}"; do
  threads=$(sed -n 's/.*-t\([0-9]*\).*/\1/p' <<< "$load")
  for count in "${server_counts[@]}"; do
    [ $((threads % count)) = 0 ] || { echo "$load: -t must be a multiple of $count" >&2; exit 2; }
  done
done

start_postgres -c max_connections=300
port=$pg_port
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_postgres
  rm -rf "$work/intake-copy.db"* "$work/intake-data"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -p "$port" -U leadline -d postgres -c "CREATE DATABASE intake"
pg_url="postgres://leadline@127.0.0.1:$port/intake"
"$leadline" store copy --from "$work/webhooks.db" --to "$pg_url" > /dev/null
[ -z "${PG_SQL:-}" ] || psql -q -h 127.0.0.1 -p "$port" -U leadline -d intake -c "$PG_SQL"
mkdir -p "$work/intake-data"
cp "$work/webhooks.db.key" "$work/intake-data/leadline.key"
signature="sha256=$(openssl dgst -sha256 -r -hmac "$(cat "$work/webhook-secret")" \
  "$work/body.json" | cut -d' ' -f1)"

stored() {  # stored STORE: the rows of its inbox
  if [ "$1" = "$pg_url" ]; then
    psql -tA -h 127.0.0.1 -p "$port" -U leadline -d intake -c "SELECT COUNT(*) FROM webhook_inbox"
  else
    local file=${1#sqlite:}
    sqlite3 "${file%%\?*}" "SELECT COUNT(*) FROM webhook_inbox"  # without ?synchronous=...
  fi
}

# run LOAD COUNT STORE SERVE_ARGS...: COUNT servers on STORE; sets rps, p50 and p99 (in the
# script's shell, so that the exit trap sees the servers it started).
run() {
  local load=$1 count=$2 store=$3 ports=() i
  shift 3
  for i in $(seq "$count"); do
    : > "$work/intake-serve-$i.out"  # now: the server's own redirection runs in the background
    "$leadline" serve --listen 127.0.0.1:0 --store "$store" "$@" --reconcile-every off \
      --max-connections-per-client 100000 > "$work/intake-serve-$i.out" \
      2> "$work/intake-serve-$i.log" &
    servers+=($!)
  done
  for i in $(seq "$count"); do
    for _ in $(seq 300); do grep -q "Dashboard:" "$work/intake-serve-$i.out" 2>/dev/null && break; sleep 0.1; done
    ports+=("$(sed -n 's|^Listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/intake-serve-$i.out")")
    [ -n "${ports[-1]}" ] || { echo "server $i did not start:" >&2; cat "$work/intake-serve-$i.log" >&2; exit 1; }
  done
  local before; before=$(stored "$store")
  # shellcheck disable=SC2086
  INTAKE_PORTS="${ports[*]}" wrk --latency $load -s "$bench_dir/webhook_delivery.lua" \
    "http://127.0.0.1:${ports[0]}/v1/bitbucket/webhook" -- "$work/body.json" "$signature" \
    > "$work/intake-wrk.txt" || { echo "wrk failed:" >&2; cat "$work/intake-wrk.txt" >&2; exit 1; }
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  servers=()
  grep -q "Non-2xx" "$work/intake-wrk.txt" && { echo "answers other than 200:" >&2; cat "$work/intake-wrk.txt" >&2; }
  local answered; answered=$(awk '/ requests in / {print $1}' "$work/intake-wrk.txt")
  local kept=$(($(stored "$store") - before))
  [ "$kept" -ge "$answered" ] || echo "$load on $count: $answered answered, $kept kept" >&2
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/intake-wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/intake-wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/intake-wrk.txt")
}

echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
fresh_sqlite_copy() {
  rm -rf "$work/intake-copy.db"*  # with the server slots folder serve leaves
  cp "$work/webhooks.db" "$work/intake-copy.db"
  cp "$work/webhooks.db.key" "$work/intake-copy.db.key"
}
for load in "${loads[@]}"; do
  fresh_sqlite_copy
  run "$load" 1 "$work/intake-copy.db"
  sqlite_rps=$rps
  printf "%-16s SQLite          %8.0f/s p50 %-8s p99 %-8s\n" "$load" "$rps" "$p50" "$p99"
  flushed_rps=
  if [ "${SQLITE_FLUSHED:-1}" != 0 ]; then
    fresh_sqlite_copy
    run "$load" 1 "sqlite:$work/intake-copy.db?synchronous=full"
    flushed_rps=$rps
    printf "%-16s SQLite, flushed %8.0f/s p50 %-8s p99 %-8s\n" "$load" "$rps" "$p50" "$p99"
  fi
  for count in "${server_counts[@]}"; do
    # Each run from a checkpoint: otherwise a run pays for the log the runs before it wrote
    # (PostgreSQL checkpoints after about 500 MB of log, a run of 63 connections writes that).
    psql -q -h 127.0.0.1 -p "$port" -U leadline -d intake -c "CHECKPOINT"
    run "$load" "$count" "$pg_url" --data-dir "$work/intake-data" "${pg_options[@]}"
    printf "%-16s PostgreSQL x%-2s %8.0f/s p50 %-8s p99 %-8s ratio %.2f" "$load" "$count" \
      "$rps" "$p50" "$p99" "$(echo "$rps / $sqlite_rps" | bc -l)"
    [ -z "$flushed_rps" ] || printf ", flushed %.2f" "$(echo "$rps / $flushed_rps" | bc -l)"
    echo
  done
done
