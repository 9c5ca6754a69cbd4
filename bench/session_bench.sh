#!/usr/bin/env bash
# The identity issue's figure: requests per second of GET /v1/metrics/dora answered to a person's
# session cookie against the same requests with an API token, in one run of the real
# `leadline serve` on a generated project (leadline-gen-project's defaults: 50 repositories, a
# year of history). The session is written into the store as a sign-in would leave it (the hash
# of a known cookie secret, a claim value that [[roles]] maps to every project); the [oidc]
# provider is never asked, since nobody signs in during the run. The two loads alternate, twice
# each, so that a drift of the machine shows.
#
#   bench/session_bench.sh BUILD_DIR WORK_DIR
#
# BUILD_DIR needs the targets leadline and leadline-gen-project. Needs wrk, sqlite3, curl and
# sha256sum. LOAD (wrk's -t -c -d) defaults to "-t1 -c16 -d10s".
set -euo pipefail
build=$(cd "${1:?usage: session_bench.sh BUILD_DIR WORK_DIR}" && pwd)
work=${2:?usage: session_bench.sh BUILD_DIR WORK_DIR}
read -r -a load <<< "${LOAD:--t1 -c16 -d10s}"
leadline=$build/src/cli/leadline
mkdir -p "$work"
work=$(cd "$work" && pwd)
db=$work/session.db
rm -f "$db"{,-wal,-shm,.key} "$work/leadline.toml"

echo "generating the project ..." >&2
"$build/bench/leadline-gen-project" --db "$db" 2> /dev/null
"$leadline" projects create big --repos 'bench/*' --db "$db" > /dev/null
token=$("$leadline" tokens create --name bench --scopes read --expires 1d --db "$db" 2> /dev/null |
  head -1)

echo "bench-client-secret" > "$work/oidc-secret"
cat > "$work/leadline.toml" << TOML
[oidc]
issuer = "http://127.0.0.1:9"
client_id = "leadline"
client_secret_file = "$work/oidc-secret"
redirect_url = "http://127.0.0.1:9/auth/oidc/callback"

[[roles]]
value = "bench-readers"
projects = ["big"]
TOML
secret=bench-session-secret-0123456789abcdefghijklmnop
hash=$(printf '%s' "$secret" | sha256sum | cut -d' ' -f1)
now=$(date +%s)
"$leadline" sessions list --db "$db" > /dev/null  # applies the migrations
sqlite3 "$db" "INSERT INTO person_sessions (secret_hash, issuer, subject, name, claim_values,
  created_at, last_seen_at, expires_at) VALUES ('$hash', 'http://127.0.0.1:9', 'bench',
  'bench@example.com', 'bench-readers', $now, $now, $((now + 3600)));"

"$leadline" serve --listen 127.0.0.1:0 --db "$db" --reconcile-every off \
  --max-connections-per-client 100000 > "$work/serve.out" 2> "$work/serve.log" &
serve=$!
trap 'kill -TERM $serve 2> /dev/null || true; wait 2> /dev/null || true' EXIT
url=
for _ in $(seq 300); do
  url=$(sed -n 's/.*Listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out" "$work/serve.log" | head -1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
dora="$url/v1/metrics/dora?project=big&window=90d"
by_token=(-H "Authorization: Bearer $token")
by_cookie=(-H "Cookie: leadline_session=$secret")
for who in by_token by_cookie; do  # each must be answered, and the first builds the view
  declare -n flags=$who
  code=$(curl -s -o /dev/null -w '%{http_code}' "${flags[@]}" "$dora")
  [ "$code" = 200 ] || { echo "$who: HTTP $code" >&2; exit 1; }
done

run() {  # NAME HEADER...: prints requests/s and p99
  local name=$1
  shift
  wrk --latency "${load[@]}" "$@" "$dora" > "$work/$name.wrk"
  if grep -q "Non-2xx" "$work/$name.wrk"; then echo "$name: answers other than 200" >&2; exit 1; fi
  printf '%s %s\n' "$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")" \
    "$(awk '$1 == "99%" {print $2}' "$work/$name.wrk")"
}
echo "GET /v1/metrics/dora?project=big&window=90d, wrk ${load[*]}"
printf '%-8s %-14s %-10s\n' round "token req/s" "cookie req/s"
for round in 1 2; do
  read -r token_rps token_p99 < <(run "token$round" "${by_token[@]}")
  read -r cookie_rps cookie_p99 < <(run "cookie$round" "${by_cookie[@]}")
  printf '%-8s %-14s %-10s  (p99 %s / %s; cookie/token %.2f)\n' "$round" "$token_rps" \
    "$cookie_rps" "$token_p99" "$cookie_p99" "$(echo "$cookie_rps / $token_rps" | bc -l)"
done
