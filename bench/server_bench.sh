#!/usr/bin/env bash
# The server issue's figures, measured with wrk against the real `leadline serve`:
#   1. signed Bitbucket Cloud `pullrequest:updated` deliveries (bench/pullrequest_updated.json,
#      about 11 KB) at POST /v1/bitbucket/webhook, each committed to the inbox before its 200;
#      then, in the same run and with the same wrk command, the same requests answered from
#      memory by leadline_webhook_memory_server (same server, checks and parse; no inbox write).
#      The inbox's row count is checked against the 200s wrk saw;
#   2. GET /v1/metrics/dora for a project of 50 repositories with a year of history (100,000
#      pull requests, 1,000,000 commits, 20,000 deployments), after one request that builds the
#      server's in-memory view (timed on its own).
#
#   bench/server_bench.sh BUILD_DIR WORK_DIR
#
# BUILD_DIR needs the targets leadline, leadline-bitbucket-double, leadline-gen-project and
# leadline_webhook_memory_server. The stores in WORK_DIR are made anew. Needs wrk, sqlite3, jq,
# openssl and curl. wrk runs on the same machine as the server. Its loads (wrk's -t, -c and -d) can be changed
# with WEBHOOK_LOAD, and METRICS_LOADS (separated by commas). By default there are as many
# connections as serve has request threads (4 on two cores) or one: the HTTP server gives each
# keep-alive connection a thread for as long as it stays open, so further connections would
# wait for a free thread, not measure the requests. PARTS=webhooks (or metrics) runs one part.
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: server_bench.sh BUILD_DIR WORK_DIR}" && pwd)
work=${2:?usage: server_bench.sh BUILD_DIR WORK_DIR}
read -r -a webhook_load <<< "${WEBHOOK_LOAD:--t1 -c4 -d20s}"
parts=${PARTS:-webhooks metrics}
IFS=, read -r -a metrics_loads <<< "${METRICS_LOADS:--t1 -c1 -d10s,-t1 -c4 -d10s}"
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
  echo "webhook body: $(wc -c < "$work/body.json") bytes; load: wrk ${webhook_load[*]}" >&2

  start serve "$listening" "$leadline" serve --listen 127.0.0.1:0 --db "$db" --reconcile-every off
  wrk_run serve "${webhook_load[@]}" "${deliver[@]}" "$url/v1/bitbucket/webhook" -- \
    "$work/body.json" "$signature"
  stop "$pid"
  connections=$(printf '%s\n' "${webhook_load[@]}" | sed -n 's/^-c//p')
  accepted=$(($(answered "$work/serve.wrk") - $(not_2xx "$work/serve.wrk")))
  stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM webhook_inbox")
  # A delivery still in flight when wrk stopped is stored without wrk counting its 200.
  if [ "$(not_2xx "$work/serve.wrk")" -ne 0 ] || [ "$stored" -lt "$accepted" ] ||
    [ "$stored" -gt $((accepted + connections)) ]; then
    echo "the inbox holds $stored deliveries; wrk saw $accepted accepted (up to $connections" \
      "more in flight), $(not_2xx "$work/serve.wrk") refused" >&2
    exit 1
  fi

  start memory "$listening" "$build/bench/leadline_webhook_memory_server" \
    --secret-file "$work/webhook-secret"
  wrk_run memory "${webhook_load[@]}" "${deliver[@]}" "$url/v1/bitbucket/webhook" -- \
    "$work/body.json" "$signature"
  stop "$pid"
  if [ "$(not_2xx "$work/memory.wrk")" -ne 0 ]; then
    echo "the memory server refused deliveries; see $work/memory.wrk" >&2
    exit 1
  fi
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
    --reconcile-every off
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

# --- The table ----------------------------------------------------------------------------------
webhook_table() {
  echo "POST /v1/bitbucket/webhook, $(wc -c < "$work/body.json")-byte pullrequest:updated," \
    "wrk ${webhook_load[*]}"
  row "leadline serve (committed to the inbox)" "$work/serve.wrk"
  row "from memory (no inbox write)" "$work/memory.wrk"
  echo "serve / memory: $(awk -v a="$(rps "$work/serve.wrk")" -v b="$(rps "$work/memory.wrk")" \
    'BEGIN {printf "%.2f", a / b}') of the throughput; inbox rows $stored, 200s seen $accepted"
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
    *) echo "PARTS takes webhooks and metrics, not $part" >&2; exit 2 ;;
  esac
done
echo
echo "load average before the run: $load_average"
for part in $parts; do
  case $part in webhooks) webhook_table ;; metrics) metrics_table ;; esac
done
