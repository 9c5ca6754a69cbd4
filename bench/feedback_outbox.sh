#!/usr/bin/env bash
# The feedback outbox drained by `leadline serve` against the Bitbucket double (Data Center,
# comment mode): a repository of PULL_REQUESTS recent pull requests is synced with feedback on,
# which queues one post per pull request; then a server is started and timed until the outbox is
# empty. The first run posts a comment on each pull request; the second, on a fresh store against
# the same double, finds each comment by its marker and edits it. Each post renders the pull
# request's feedback from the store (the repository's analysis) and makes two requests (the
# activities page that finds the comment, then POST or PUT).
#
#   bench/feedback_outbox.sh [BUILD_DIR] [WORK_DIR] [PULL_REQUESTS]
#
# Defaults: BUILD_DIR=build/release, WORK_DIR=/tmp/leadline-feedback-bench, PULL_REQUESTS=200.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
work=${2:-/tmp/leadline-feedback-bench}
prs=${3:-200}
leadline=$(realpath "$build/src/cli/leadline")
double=$(realpath "$build/tests/leadline-bitbucket-double")
rm -rf "$work"
mkdir -p "$work"

# Every pull request within the last day (5 minutes apart): all recent, so all are queued.
"$double" --port 0 --repositories 1 --pull-requests "$prs" --pipelines 0 --deployments 0 \
  --history-days 1 --pace-minutes 5 >"$work/double.log" 2>&1 &
double_pid=$!
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  kill "$double_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 600); do grep -q "Data Center: --url" "$work/double.log" && break; sleep 0.1; done
url=$(sed -n 's/.*Data Center: --url \([^,]*\),.*/\1/p' "$work/double.log")
echo "dc-http-token" >"$work/token"

pending() { "$leadline" feedback status | awk '$1 == "PROJ/repo-1" {print $5}'; }

drain() {  # $1: the run's data directory
  export LEADLINE_DATA_DIR=$1 LEADLINE_STORE=$1/leadline.db
  mkdir -p "$1"
  "$leadline" connect bitbucket-dc --url "$url" --token-file "$work/token" >/dev/null
  "$leadline" repos list >/dev/null
  "$leadline" repos select PROJ/repo-1 >/dev/null
  "$leadline" feedback enable --repos PROJ/repo-1 --mode comment >/dev/null
  LEADLINE_FEEDBACK_DEBOUNCE=0 "$leadline" sync >/dev/null 2>&1
  local queued
  queued=$(pending)
  local start end
  start=$(date +%s.%N)
  "$leadline" serve --listen 127.0.0.1:0 --feedback-debounce 1s --reconcile-every off \
    >"$1/serve.log" 2>&1 &
  server_pid=$!
  local left
  for _ in $(seq 1 6000); do
    left=$(pending)
    [ "$left" = "0" ] && break
    if [ -z "$left" ] || ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the server stopped or nothing is queued; see $1/serve.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  end=$(date +%s.%N)
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  awk -v q="$queued" -v s="$start" -v e="$end" -v what="$2" \
    'BEGIN { t = e - s; printf "%-40s %4d posts in %6.2f s: %6.1f posts/s, %5.1f ms each\n", what, q, t, q / t, 1000 * t / q }'
  unset LEADLINE_DATA_DIR LEADLINE_STORE
}

drain "$work/first" "new comments (find, then POST)"
drain "$work/second" "edits of those comments (find, then PUT)"
