#!/usr/bin/env bash
# The GraphQL portal figure: one query for a project's repositories, each with its last 10
# deployments (change counts, failure reasons) and its 90-day DORA metrics, against the same
# answers from the REST API (GET /v1/repositories, then per repository GET /v1/deployments and
# GET /v1/metrics/dora) in the same run, on one keep-alive connection to a real `leadline serve`
# over a generated project (bench/project_generator.h). Prints the p50 and p90 of each and their
# ratio, after checking both give the same deployments and metrics.
#
#   bench/graphql_portal_bench.sh BUILD_DIR WORK_DIR [leadline-gen-project flags]
#
# The default project is 100 repositories with 200 deployments and 50 pull requests each over a
# year (pass e.g. --pull-requests 5000 --deployments 1000 for the large benchmark project). RUNS
# (default 30) sets how many times each is asked. Needs curl and python3.
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: graphql_portal_bench.sh BUILD_DIR WORK_DIR [flags]}" && pwd)
work=${2:?usage: graphql_portal_bench.sh BUILD_DIR WORK_DIR [flags]}
shift 2
shape=("$@")
[ ${#shape[@]} -eq 0 ] && shape=(--repositories 100 --pull-requests 50 --deployments 200 --incidents 20 --days 365)
leadline=$build/src/cli/leadline
mkdir -p "$work"
db=$work/portal.db
rm -f "$db" "$db"-*
echo "generating the project (${shape[*]}) ..." >&2
"$build/bench/leadline-gen-project" --db "$db" "${shape[@]}" 2> /dev/null
"$leadline" projects create big --repos 'bench/*' --db "$db" > /dev/null
token=$("$leadline" tokens create --name bench --scopes read --expires 1d --db "$db" 2> /dev/null |
  head -1)
: > "$work/serve.out"  # before the background redirection, which may come after the first read
"$leadline" serve --listen 127.0.0.1:0 --db "$db" --reconcile-every off > "$work/serve.out" 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true' EXIT
for _ in $(seq 100); do
  url=$(sed -n 's|^Listening on \(http://[^ ]*\)$|\1|p' "$work/serve.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start; see $work/serve.out" >&2; exit 1; }
read -r load_average _ < /proc/loadavg
echo "load average before the run: $load_average" >&2
RUNS=${RUNS:-30} python3 "$bench_dir/graphql_portal.py" "$url" "$token"
