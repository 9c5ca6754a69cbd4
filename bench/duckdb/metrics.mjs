// The metric benchmark's DuckDB side (bench/metrics_bench.cpp runs it; docs/benchmarks.md).
//
//   node bench/duckdb/metrics.mjs DIR RUNS
//
// Loads the derived rows the benchmark wrote to DIR (deployment_facts.csv, change_facts.csv,
// pr_facts.csv) into an in-memory DuckDB database, then answers each query of DIR/queries.json
// (repositories, window, team) with the same figures as bench/sql_metrics.cpp, the way an
// analytics engineer writes them in DuckDB: one statement per query, the aggregates and
// quantile_cont over the window's rows. Each statement is prepared once, run once to warm up,
// then RUNS times, each timed from the call to the figures read back as JavaScript numbers.
// Prints one JSON document: the DuckDB version, its threads, the load time and, per query, the
// figures and the run times in milliseconds. The benchmark compares the figures with the
// engine's and fails when they differ.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DuckDBInstance, version } from "@duckdb/node-api";

const [dir, runsText] = process.argv.slice(2);
const runs = Number(runsText);
if (!dir || !Number.isInteger(runs) || runs < 1) {
  console.error("usage: node bench/duckdb/metrics.mjs DIR RUNS");
  process.exit(2);
}

const kDay = 86400;
const kWeek = 7 * kDay;

// Column types as the C++ facts have them; an empty field is NULL (a stage not measured).
const tables = {
  deployment_facts: {
    repo: "INTEGER",
    finished_at: "BIGINT",
    success: "TINYINT",
    failed: "TINYINT",
    rework: "TINYINT",
    recovery_s: "BIGINT",
  },
  change_facts: { repo: "INTEGER", deployed_at: "BIGINT", lead_s: "BIGINT" },
  pr_facts: {
    repo: "INTEGER",
    merged_at: "BIGINT",
    author: "INTEGER",
    bot: "TINYINT",
    coding_s: "BIGINT",
    pickup_s: "BIGINT",
    review_s: "BIGINT",
    deploy_s: "BIGINT",
    total_s: "BIGINT",
  },
};

function Literal(path) {
  return "'" + path.replaceAll("'", "''") + "'";
}

// One statement for every figure of a scope and window (the same figures, and the same weekly
// buckets counted back from the window's end, as bench/sql_metrics.cpp).
function MetricsSql(query) {
  const { since, until } = query;
  const repos = `repo IN (${query.repositories.join(",")})`;
  const deployed = `${repos} AND finished_at >= ${since} AND finished_at < ${until}`;
  const changed = `${repos} AND deployed_at >= ${since} AND deployed_at < ${until}`;
  let merged = `${repos} AND merged_at >= ${since} AND merged_at < ${until}`;
  if (query.team) merged += ` AND author IN (${query.team.length ? query.team.join(",") : -1})`;
  const weeks = Math.max(1, Math.trunc((until - since) / kWeek));
  const stage = (column) =>
    `quantile_cont(${column}, 0.5) FILTER (WHERE bot = 0) AS ${column}_median`;
  return `
WITH
deployed AS (
  SELECT count(*) AS attempts, coalesce(sum(success), 0) AS deployments,
         coalesce(sum(failed), 0) AS failed, coalesce(sum(rework), 0) AS rework,
         quantile_cont(recovery_s, 0.5) AS recovery_median
  FROM deployment_facts WHERE ${deployed}),
weekly AS (
  SELECT (${until} - 1 - finished_at) // ${kWeek} AS week, count(*) AS deploys,
         count(DISTINCT finished_at // ${kDay}) AS days
  FROM deployment_facts WHERE ${deployed} AND success = 1 GROUP BY week),
frequency AS (
  SELECT quantile_cont(coalesce(deploys, 0), 0.5) AS deploys_per_week_median,
         quantile_cont(coalesce(days, 0), 0.5) AS deploy_days_per_week_median
  FROM range(${weeks}) AS weeks(week) LEFT JOIN weekly USING (week)),
changed AS (
  SELECT count(*) AS lead_sample, avg(lead_s) AS lead_mean,
         quantile_cont(lead_s, [0.5, 0.75, 0.9]) AS lead_quantiles
  FROM change_facts WHERE ${changed}),
merged AS (
  SELECT count(*) AS merged_pull_requests, ${["coding_s", "pickup_s", "review_s", "deploy_s", "total_s"]
    .map(stage)
    .join(", ")}
  FROM pr_facts WHERE ${merged})
SELECT * FROM deployed, frequency, changed, merged`;
}

function Figures(row) {
  const number = (v) => (v === null ? null : Number(v));
  const q = row.lead_quantiles;
  return {
    deployments: number(row.deployments),
    attempts: number(row.attempts),
    failed: number(row.failed),
    rework: number(row.rework),
    lead_sample: number(row.lead_sample),
    lead_median: q ? number(q[0]) : null,
    lead_p75: q ? number(q[1]) : null,
    lead_p90: q ? number(q[2]) : null,
    lead_mean: number(row.lead_mean),
    recovery_median: number(row.recovery_median),
    deploys_per_week_median: number(row.deploys_per_week_median),
    deploy_days_per_week_median: number(row.deploy_days_per_week_median),
    merged_pull_requests: number(row.merged_pull_requests),
    stage_medians: ["coding_s", "pickup_s", "review_s", "deploy_s", "total_s"].map((s) =>
      number(row[`${s}_median`]),
    ),
  };
}

async function Run(prepared) {
  const reader = await prepared.runAndReadAll();
  return Figures(reader.getRowObjectsJS()[0]);
}

const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const loadStart = performance.now();
for (const [table, columns] of Object.entries(tables)) {
  const types = Object.entries(columns)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(", ");
  await connection.run(
    `CREATE TABLE ${table} AS SELECT * FROM read_csv(${Literal(join(dir, table + ".csv"))}, ` +
      `header = true, columns = {${types}})`,
  );
}
const loadMs = performance.now() - loadStart;
const threads = (
  await connection.runAndReadAll("SELECT current_setting('threads') AS threads")
).getRowObjectsJS()[0].threads;

const queries = JSON.parse(readFileSync(join(dir, "queries.json"), "utf8"));
const results = [];
for (const query of queries) {
  const prepared = await connection.prepare(MetricsSql(query));
  let figures = await Run(prepared);  // warm-up, untimed
  const ms = [];
  for (let run = 0; run < runs; ++run) {
    const start = performance.now();
    figures = await Run(prepared);
    ms.push(performance.now() - start);
  }
  results.push({ figures, ms });
}
connection.closeSync();
process.stdout.write(
  JSON.stringify({ version: version(), threads: Number(threads), load_ms: loadMs, results }) +
    "\n",
);
