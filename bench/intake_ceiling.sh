#!/usr/bin/env bash
# What PostgreSQL alone takes of the webhook intake's inserts on this machine: pgbench runs the
# intake's own statement (a delivery's inbox row, its 11 KB body and its place among the waiting,
# one transaction each, as `leadline serve` commits a delivery that arrives alone) against the
# schema `leadline migrate` makes, with no HTTP, no signature check and no applier, at the given
# client counts; then the same with `synchronous_commit=off` (commits not flushed one by one, like
# SQLite's `synchronous=NORMAL`). The bound the intake on PostgreSQL cannot pass, to read beside
# bench/intake_engines.sh's figures.
#
#   PARTS=webhooks bench/server_bench.sh BUILD_DIR WORK_DIR   # makes WORK_DIR/body.json once
#   bench/intake_ceiling.sh BUILD_DIR WORK_DIR
#
# CLIENTS: pgbench's client counts (default "6 63"); SECONDS_EACH: each run's length (default 8).
set -euo pipefail
trap 'echo "intake_ceiling.sh: line $LINENO failed" >&2' ERR
bench_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: intake_ceiling.sh BUILD_DIR WORK_DIR}" && pwd)
work=$(cd "${2:?usage: intake_ceiling.sh BUILD_DIR WORK_DIR}" && pwd)
read -r -a clients <<< "${CLIENTS:-6 63}"
seconds=${SECONDS_EACH:-8}
[ -f "$work/body.json" ] || { echo "run PARTS=webhooks bench/server_bench.sh first" >&2; exit 2; }
source "$bench_dir/start_postgres.sh"
script=$(mktemp /tmp/leadline-intake-ceiling-XXXXXX.sql)
trap 'stop_postgres; rm -f "$script"' EXIT

# Each delivery unique (its id from the client, a counter and the clock; its body prefixed with a
# random number, so that no two bodies compress alike), the body copied from a table on the
# server so that pgbench sends parameters of a few bytes where serve sends 11 KB.
cat > "$script" <<'SQL'
\set r random(1, 1000000000)
WITH row AS (INSERT INTO webhook_inbox (delivery_id, connection_id, event_key, attempt, received_at, repository, outcome) VALUES (CAST(:client_id AS text) || '-' || CAST(:r AS text) || '-' || CAST(clock_timestamp() AS text), 1, 'repo_push', 1, now(), 'acme/api', '') ON CONFLICT (delivery_id) DO NOTHING RETURNING id), body AS (INSERT INTO webhook_bodies (delivery, body) SELECT id, CAST(:r AS text) || b.body FROM row, ceiling_body b) INSERT INTO webhook_pending (delivery) SELECT id FROM row;
SQL

run() {  # run SERVER_OPTIONS...: one server, every client count
  start_postgres -c max_connections=300 "$@"
  local url="postgres://leadline@127.0.0.1:$pg_port/postgres"
  "$build/src/cli/leadline" migrate --store "$url" > /dev/null
  psql -q -h 127.0.0.1 -p "$pg_port" -U leadline -d postgres <<SQL
CREATE TABLE ceiling_body (body text);
\\set body \`cat $work/body.json\`
INSERT INTO ceiling_body VALUES (:'body');
SQL
  for count in "${clients[@]}"; do
    local tps
    tps=$(pgbench -h 127.0.0.1 -p "$pg_port" -U leadline -n -M prepared -c "$count" -j 2 \
      -T "$seconds" -f "$script" postgres 2>&1 | awk '/^tps/ {print $3}')
    printf "%-28s %3d clients %8.0f deliveries/s\n" "${label}" "$count" "$tps"
  done
  stop_postgres
  pg_dir=
}

echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
label="flushed commits (default)"
run
label="synchronous_commit=off"
run -c synchronous_commit=off
