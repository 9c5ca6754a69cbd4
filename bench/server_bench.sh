#!/usr/bin/env bash
# The server issues' figures, measured with wrk against the real `leadline serve`:
#   1. signed Bitbucket Cloud `pullrequest:updated` deliveries (bench/pullrequest_updated.json,
#      about 11 KB) at POST /v1/bitbucket/webhook, each committed to the inbox before its 200, at
#      4, 64 and 256 connections, as fast as the server answers and then offered 5,000 a second
#      (PACED_RATE; bench/webhook_delivery_paced.lua, a schedule per wrk thread); then, in the same
#      run and with the same wrk commands, the same
#      requests answered from memory by leadline_webhook_memory_server (same server, checks and
#      parse; no inbox write). The inbox's row count is checked against the 200s wrk saw;
#   2. GET /v1/metrics/dora for a project of 50 repositories with a year of history (100,000
#      pull requests, 1,000,000 commits, 20,000 deployments), after one request that builds the
#      server's in-memory view (timed on its own), at 1, 16 and 256 connections;
#   3. the memory of `leadline serve` holding 10,000 idle keep-alive connections
#      (bench/idle_connections.py), against its memory with none.
#
#   bench/server_bench.sh BUILD_DIR WORK_DIR
#
# BUILD_DIR needs the targets leadline, leadline-bitbucket-double, leadline-gen-project and
# leadline_webhook_memory_server. The stores in WORK_DIR are made anew. Needs wrk, sqlite3, jq,
# openssl, curl and python3. wrk runs on the same machine as the server. The loads (wrk's -t, -c
# and -d, separated by commas) can be changed with WEBHOOK_LOADS and METRICS_LOADS, the idle
# connections with IDLE_CONNECTIONS. PARTS=webhooks (or metrics, or idle) runs one part.
# SERVE_ARGS adds flags to the webhook part's `leadline serve` (e.g. "--role api": no applier).
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: server_bench.sh BUILD_DIR WORK_DIR}" && pwd)
work=${2:?usage: server_bench.sh BUILD_DIR WORK_DIR}
IFS=, read -r -a webhook_loads <<< "${WEBHOOK_LOADS:--t1 -c4 -d20s,-t2 -c64 -d20s,-t2 -c256 -d20s}"
parts=${PARTS:-webhooks metrics idle}
IFS=, read -r -a metrics_loads <<< "${METRICS_LOADS:--t1 -c1 -d10s,-t1 -c16 -d10s,-t2 -c256 -d10s}"
idle_connections=${IDLE_CONNECTIONS:-10000}
paced_rate=${PACED_RATE:-5000}  # deliveries a second offered in the paced runs
leadline=$build/src/cli/leadline
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -f "$work"/{webhooks,project}.db{,-wal,-shm,.key}

started=()  # the pids of the programs this script started, stopped on exit
stop_started() {
  for pid in "${started[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
}
trap stop_started EXIT

# start NAME SED PROGRAM ARGS...: runs PROGRAM in the background (stdout to WORK/NAME.out) until
# the sed expression SED finds its address in that output; sets $url to it and $pid.
start() {
  local name=$1 pattern=$2
  shift 2
  : > "$work/$name.out"  # before the program's own redirection, which runs in the background
  "$@" > "$work/$name.out" 2> "$work/$name.log" &
  pid=$!
  started+=("$pid")
  for _ in $(seq 600); do
    url=$(sed -n "$pattern" "$work/$name.out")
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  echo "$name did not start; its log:" >&2
  cat "$work/$name.log" >&2
  exit 1
}
listening='s|^Listening on \(http://[^ ]*\)$|\1|p'

stop() {  # stop PID: ends a program this script started and waits for it
  kill -TERM "$1"
  wait "$1" || true
  local running=()
  for pid in "${started[@]}"; do [ "$pid" = "$1" ] || running+=("$pid"); done
  started=("${running[@]}")
}

# wrk_run NAME ARGS...: wrk with latency percentiles, its report kept in WORK/NAME.wrk.
wrk_run() {
  local name=$1
  shift
  wrk --latency "$@" > "$work/$name.wrk"
}
# Figures from a wrk report: requests per second, a percentile in ms, the count of answered
# requests and of answers that were not 2xx.
rps() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1"; }
percentile_ms() {
  awk -v p="$2" '$1 == p {v = $2; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    printf "%.2f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : 1)}' "$1"
}
answered() { awk '/ requests in / {print $1}' "$1"; }
not_2xx() { awk '/Non-2xx or 3xx responses:/ {n = $NF} END {print n + 0}' "$1"; }
timeouts() { awk '/Socket errors:/ {n = $NF} END {print n + 0}' "$1"; }
# wait_until_applied DB: waits (at most 10 minutes) until the server's applier has applied every
# delivery in the inbox.
wait_until_applied() {
  local pending
  for _ in $(seq 600); do
    pending=$(sqlite3 "$1" "SELECT COUNT(*) FROM webhook_inbox WHERE applied_at IS NULL")
    [ "$pending" -eq 0 ] && return 0
    sleep 1
  done
  echo "the applier left $pending deliveries unapplied after 10 minutes" >&2
  exit 1
}
row() {  # row LABEL WRK_REPORT: one line of the table
  printf '%-40s %7s /s   p50 %7s ms   p99 %7s ms\n' "$1" "$(rps "$2")" \
    "$(percentile_ms "$2" 50%)" "$(percentile_ms "$2" 99%)"
}
# The machine may be busy with other work; the table says how busy it was before the run.
read -r load_average _ < /proc/loadavg

# --- 1. Webhook deliveries ----------------------------------------------------------------------
webhook_part() {
  # A store with one Bitbucket Cloud connection (made against the local double) and its secret.
  db=$work/webhooks.db
  start double 's|.*--api-url \([^ ]*\) .*|\1|p' "$build/tests/leadline-bitbucket-double" \
    --port 0 --repositories 1 --pull-requests 1 --pipelines 1 --deployments 1
  sed -n 's|.*API token: \([^ ]*\)$|\1|p' "$work/double.out" > "$work/api-token"
  "$leadline" connect bitbucket-cloud --workspace acme --api-url "$url" --email dev@example.com \
    --token-file "$work/api-token" --db "$db" > /dev/null
  stop "$pid"
  "$leadline" webhooks secret --db "$db" | awk '{print $2}' > "$work/webhook-secret"

  # Bitbucket sends the payload without whitespace; the body is the same for every delivery, so
  # its signature is too.
  jq -cj . "$bench_dir/pullrequest_updated.json" > "$work/body.json"
  signature="sha256=$(openssl dgst -sha256 -r -hmac "$(cat "$work/webhook-secret")" \
    "$work/body.json" | cut -d' ' -f1)"
  deliver=(-s "$bench_dir/webhook_delivery.lua")
  echo "webhook body: $(wc -c < "$work/body.json") bytes" >&2

  # wrk opens every connection from one address: let the server take them all.
  # shellcheck disable=SC2086  # SERVE_ARGS: more flags of serve, split on spaces
  start serve "$listening" "$leadline" serve --listen 127.0.0.1:0 --db "$db" \
    --reconcile-every off --max-connections-per-client 100000 ${SERVE_ARGS:-}
  stored=0
  for load in "${webhook_loads[@]}"; do
    name="serve ${load}"
    read -r -a load_flags <<< "$load"
    wrk_run "${name// /_}" "${load_flags[@]}" "${deliver[@]}" "$url/v1/bitbucket/webhook" -- \
      "$work/body.json" "$signature"
    report="$work/${name// /_}.wrk"
    connections=$(printf '%s\n' "${load_flags[@]}" | sed -n 's/^-c//p')
    before=$stored
    stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM webhook_inbox")
    accepted=$(($(answered "$report") - $(not_2xx "$report")))
    # A delivery still in flight when wrk stopped is stored without wrk counting its 200.
    if [ "$(not_2xx "$report")" -ne 0 ] || [ $((stored - before)) -lt "$accepted" ] ||
      [ $((stored - before)) -gt $((accepted + connections)) ]; then
      echo "the inbox took $((stored - before)) deliveries; wrk saw $accepted accepted (up to" \
        "$connections more in flight), $(not_2xx "$report") refused, $(timeouts "$report")" \
        "timeouts" >&2
      exit 1
    fi
  done
  # The same connections offered a fixed rate, for the latency at that rate. Each run starts once
  # the applier has caught up with what the runs before queued (a closed loop leaves a backlog of
  # over a hundred thousand deliveries), so that it measures the steady state at that rate and
  # not the intake beside a draining backlog.
  for load in "${webhook_loads[@]}"; do
    wait_until_applied "$db"
    read -r -a load_flags <<< "$load"
    threads=$(printf '%s\n' "${load_flags[@]}" | sed -n 's/^-t//p')
    name="paced ${load}"
    WRK_THREADS=${threads:-2} wrk_run "${name// /_}" "${load_flags[@]}" \
      -s "$bench_dir/webhook_delivery_paced.lua" "$url/v1/bitbucket/webhook" -- \
      "$work/body.json" "$signature" "$paced_rate"
    if [ "$(not_2xx "$work/${name// /_}.wrk")" -ne 0 ]; then
      echo "serve refused paced deliveries; see $work/${name// /_}.wrk" >&2
      exit 1
    fi
  done
  stop "$pid"

  start memory "$listening" "$build/bench/leadline_webhook_memory_server" \
    --secret-file "$work/webhook-secret"
  for load in "${webhook_loads[@]}"; do
    name="memory ${load}"
    read -r -a load_flags <<< "$load"
    wrk_run "${name// /_}" "${load_flags[@]}" "${deliver[@]}" "$url/v1/bitbucket/webhook" -- \
      "$work/body.json" "$signature"
    if [ "$(not_2xx "$work/${name// /_}.wrk")" -ne 0 ]; then
      echo "the memory server refused deliveries; see $work/${name// /_}.wrk" >&2
      exit 1
    fi
  done
  stop "$pid"
}

# --- 2. The metrics API -------------------------------------------------------------------------
metrics_part() {
  db=$work/project.db
  echo "generating the project ..." >&2
  "$build/bench/leadline-gen-project" --db "$db" 2> /dev/null
  "$leadline" projects create big --repos 'bench/*' --db "$db" > /dev/null
  token=$("$leadline" tokens create --name bench --scopes read --expires 1d --db "$db" 2> /dev/null |
    head -1)
  auth=(-H "Authorization: Bearer $token")

  start metrics "$listening" "$leadline" serve --listen 127.0.0.1:0 --db "$db" \
    --reconcile-every off --max-connections-per-client 100000
  dora="$url/v1/metrics/dora?project=big"
  first_s=$(curl -sf "${auth[@]}" -o "$work/dora.json" -w '%{time_total}' "$dora&window=90d")
  repositories=$(jq '.scope.repositories | length' "$work/dora.json")
  deployments=$(jq '.summary.deployments' "$work/dora.json")
  queries=("window=90d" "window=365d" "window=90d&trend=weekly" "window=365d&trend=weekly")
  for load in "${metrics_loads[@]}"; do
    for query in "${queries[@]}"; do
      report="dora ${query//[&=]/ } $load"
      read -r -a load_flags <<< "$load"
      wrk_run "${report// /_}" "${load_flags[@]}" "${auth[@]}" "$dora&$query"
      if [ "$(not_2xx "$work/${report// /_}.wrk")" -ne 0 ]; then
        echo "GET $dora&$query failed; see $work/${report// /_}.wrk" >&2
        exit 1
      fi
    done
  done
  stop "$pid"
}

# --- 3. Idle keep-alive connections ------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
idle_part() {
  db=$work/idle.db
  rm -f "$db"
  "$leadline" projects list --db "$db" > /dev/null  # an empty store
  start idle "$listening" "$leadline" serve --listen 127.0.0.1:0 --db "$db" \
    --reconcile-every off --idle-timeout 10m --max-connections-per-client 100000
  serve_pid=$pid
  port=${url##*:}
  curl -sf "$url/healthz" > /dev/null
  idle_before_kb=$(rss_kb "$serve_pid")
  coproc holder { python3 "$bench_dir/idle_connections.py" 127.0.0.1 "$port" "$idle_connections"; }
  read -r opened _ <&"${holder[0]}" || true
  if [ "$opened" != "open" ]; then
    echo "could not open $idle_connections connections" >&2
    exit 1
  fi
  sleep 1
  idle_after_kb=$(rss_kb "$serve_pid")
  idle_healthz_ms=$(curl -sf -o /dev/null -w '%{time_total}' "$url/healthz" |
    awk '{printf "%.1f", $1 * 1000}')
  exec {holder[1]}>&-  # the holder exits, closing its connections
  wait "$holder_PID" || true
  stop "$serve_pid"
}

# --- The table ----------------------------------------------------------------------------------
webhook_table() {
  echo "POST /v1/bitbucket/webhook, $(wc -c < "$work/body.json")-byte pullrequest:updated"
  for load in "${webhook_loads[@]}"; do
    serve_report="$work/serve_${load// /_}.wrk"
    memory_report="$work/memory_${load// /_}.wrk"
    echo "wrk $load"
    row "  leadline serve (committed to the inbox)" "$serve_report"
    row "  from memory (no inbox write)" "$memory_report"
    echo "  serve / memory: $(awk -v a="$(rps "$serve_report")" -v b="$(rps "$memory_report")" \
      'BEGIN {printf "%.2f", a / b}') of the throughput; timeouts: serve" \
      "$(timeouts "$serve_report"), memory $(timeouts "$memory_report")"
    row "  serve offered $paced_rate /s" "$work/paced_${load// /_}.wrk"
  done
}
idle_table() {
  echo
  echo "leadline serve holding $idle_connections idle keep-alive connections"
  printf '%-40s %7s MB -> %s MB (%s kB a connection)\n' "resident memory" \
    "$((idle_before_kb / 1024))" "$((idle_after_kb / 1024))" \
    "$(awk -v a="$idle_after_kb" -v b="$idle_before_kb" -v n="$idle_connections" \
      'BEGIN {printf "%.1f", (a - b) / n}')"
  echo "GET /healthz meanwhile, on a new connection: $idle_healthz_ms ms"
}
metrics_table() {
  echo
  echo "GET /v1/metrics/dora?project=big ($repositories repositories, $deployments deployments" \
    "in 90 days)"
  printf '%-40s %7.0f ms\n' "first request (builds the in-memory view)" \
    "$(awk -v s="$first_s" 'BEGIN {print s * 1000}')"
  for load in "${metrics_loads[@]}"; do
    echo "wrk $load"
    for query in "${queries[@]}"; do
      report="dora ${query//[&=]/ } $load"
      row "  $query" "$work/${report// /_}.wrk"
    done
  done
}

for part in $parts; do
  case $part in
    webhooks) webhook_part ;;
    metrics) metrics_part ;;
    idle) idle_part ;;
    *) echo "PARTS takes webhooks, metrics and idle, not $part" >&2; exit 2 ;;
  esac
done
echo
echo "load average before the run: $load_average"
for part in $parts; do
  case $part in webhooks) webhook_table ;; metrics) metrics_table ;; idle) idle_table ;; esac
done
