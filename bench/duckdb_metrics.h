// The same metrics as engine::QueryScope in DuckDB, for the metric benchmark's side-by-side
// comparison: writes the derived rows bench/sql_metrics.cpp loads into SQLite (deployments with
// their outcome, changes with their lead time, merged pull requests with their stages) as CSV
// files, and the queries as JSON, then runs bench/duckdb/metrics.mjs under Node on them, which
// loads the rows into DuckDB and times each query. DuckDB is not a Debian package; its Node
// package is installed by bench/duckdb/install.sh (npm ci). Single-threaded use only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/scope_metrics.h"
#include "sql_metrics.h"

namespace leadline::bench {

struct PeerQuery {
  std::vector<int> repositories;  // indexes into the facts
  engine::ScopeQuery query;
};

struct PeerResult {
  SqlFigures figures;
  std::vector<double> ms;  // one per timed run
};

struct DuckDbRun {
  std::string version;
  int threads = 0;
  double load_ms = 0;
  std::vector<PeerResult> results;  // one per query, in order
};

// Writes the rows of `facts` and `queries` into `dir`, runs `script` (bench/duckdb/metrics.mjs)
// with `runs` timed runs of each query, and reads its answer. Fails with what to do next when
// Node or the DuckDB package is missing.
common::Result<DuckDbRun> RunDuckDb(const std::string& script, const std::string& dir,
                                    const std::vector<engine::RepositoryFacts>& facts,
                                    const std::vector<PeerQuery>& queries, int runs);

}  // namespace leadline::bench
