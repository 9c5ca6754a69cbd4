"""The portal's answers from `leadline serve`, by one GraphQL query and by REST calls, timed
alternately on one keep-alive connection each (bench/graphql_portal_bench.sh runs it).

    python3 bench/graphql_portal.py URL TOKEN
"""
import datetime
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

url, token = sys.argv[1], sys.argv[2]
runs = int(os.environ.get("RUNS", "30"))
host = urllib.parse.urlparse(url)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
today = datetime.datetime.now(datetime.timezone.utc).date()
end = today  # both cover the 90 days up to the end of today, UTC
start = end - datetime.timedelta(days=89)
since = start.isoformat() + "T00:00:00Z"
until = (end + datetime.timedelta(days=1)).isoformat() + "T00:00:00Z"

QUERY = """query($start: String!, $end: String!) {
  project(name: "big") {
    repositories(first: 100) {
      nodes {
        fullName
        deployments(first: 10) {
          nodes { ref finishedAt status changeCount failed failureReasons { reason commit incident } }
        }
        dora {
          metrics(startDate: $start, endDate: $end) {
            deploymentFrequency leadTimeForChanges changeFailureRate timeToRestoreService reworkRate
          }
        }
      }
    }
  }
}"""


def connect():
    return http.client.HTTPConnection(host.hostname, host.port)


def call(conn, method, path, body=None):
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data)


def graphql(conn):
    variables = {"start": start.isoformat(), "end": end.isoformat()}
    answer = call(conn, "POST", "/graphql", json.dumps({"query": QUERY, "variables": variables}))
    if "errors" in answer:
        sys.exit(f"POST /graphql: {answer['errors']}")
    out = {}
    for repo in answer["data"]["project"]["repositories"]["nodes"]:
        metrics = repo["dora"]["metrics"][0]
        out[repo["fullName"]] = (
            [(d["ref"], d["changeCount"], len(d["failureReasons"]))
             for d in repo["deployments"]["nodes"]],
            (metrics["changeFailureRate"], metrics["leadTimeForChanges"]),
        )
    return out


def rest(conn):
    out = {}
    repos = call(conn, "GET", "/v1/repositories?project=big&limit=100")["items"]
    window = urllib.parse.urlencode({"since": since, "until": until})
    for repo in repos:
        name = urllib.parse.quote(repo["repository"], safe="")
        deployments = call(conn, "GET",
                           f"/v1/deployments?repo={name}&limit=10&window=all")["items"]
        dora = call(conn, "GET", f"/v1/metrics/dora?repo={name}&{window}")["summary"]
        out[repo["repository"]] = (
            [(d["ref"], d["change_count"], len(d["failure_reasons"])) for d in deployments],
            (dora["change_fail_rate"], dora["lead_time_median_s"]),
        )
    return out


def timed(fn, conn):
    began = time.perf_counter()
    result = fn(conn)
    return (time.perf_counter() - began) * 1000, result


gql_conn, rest_conn = connect(), connect()
# The first call builds the server's view; both answers must agree.
_, by_graphql = timed(graphql, gql_conn)
_, by_rest = timed(rest, rest_conn)
if by_graphql != by_rest:
    diff = [(k, by_graphql.get(k), by_rest.get(k)) for k in sorted(set(by_graphql) | set(by_rest))
            if by_graphql.get(k) != by_rest.get(k)]
    sys.exit(f"GraphQL and REST disagree on {len(diff)} repositories, e.g. {diff[0]}")
repositories = len(by_graphql)
deployments = sum(len(v[0]) for v in by_graphql.values())
gql_ms, rest_ms = [], []
for _ in range(runs):
    gql_ms.append(timed(graphql, gql_conn)[0])
    rest_ms.append(timed(rest, rest_conn)[0])


def p(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


print(f"{repositories} repositories, {deployments} deployments listed, {runs} runs each")
print(f"GraphQL, 1 request:       p50 {p(gql_ms, 50):8.2f} ms   p90 {p(gql_ms, 90):8.2f} ms")
print(f"REST, {1 + 2 * repositories} requests:   p50 {p(rest_ms, 50):8.2f} ms   "
      f"p90 {p(rest_ms, 90):8.2f} ms")
print(f"REST / GraphQL at p50: {p(rest_ms, 50) / p(gql_ms, 50):.1f}x")
