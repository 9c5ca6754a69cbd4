#include "duckdb_metrics.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

namespace leadline::bench {
namespace {

using common::Result;
using common::Status;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// An optional number as a CSV field: empty for none (DuckDB reads it as NULL).
template <typename T>
std::string Field(const std::optional<T>& value) {
  return value ? std::to_string(*value) : std::string();
}

Status WriteRows(const std::string& dir, const std::vector<engine::RepositoryFacts>& facts) {
  File deployments(std::fopen((dir + "/deployment_facts.csv").c_str(), "w"));
  File changes(std::fopen((dir + "/change_facts.csv").c_str(), "w"));
  File prs(std::fopen((dir + "/pr_facts.csv").c_str(), "w"));
  if (!deployments || !changes || !prs) return Status::Internal("cannot write into " + dir);
  std::fputs("repo,finished_at,success,failed,rework,recovery_s\n", deployments.get());
  std::fputs("repo,deployed_at,lead_s\n", changes.get());
  std::fputs("repo,merged_at,author,bot,coding_s,pickup_s,review_s,deploy_s,total_s\n", prs.get());
  for (std::size_t r = 0; r < facts.size(); ++r) {
    for (const engine::DeploymentFact& d : facts[r].deployments) {
      std::fprintf(deployments.get(), "%zu,%lld,%d,%d,%d,%s\n", r,
                   static_cast<long long>(d.finished_at), d.success, d.failed, d.rework,
                   Field(d.recovery_s).c_str());
    }
    for (const engine::ChangeFact& c : facts[r].changes) {
      std::fprintf(changes.get(), "%zu,%lld,%lld\n", r, static_cast<long long>(c.deployed_at),
                   static_cast<long long>(c.lead_s));
    }
    for (const engine::PullRequestFact& p : facts[r].pull_requests) {
      std::fprintf(prs.get(), "%zu,%lld,%u,%d,%s,%s,%s,%s,%s\n", r,
                   static_cast<long long>(p.merged_at), p.author, p.bot, Field(p.coding).c_str(),
                   Field(p.pickup).c_str(), Field(p.review).c_str(), Field(p.deploy).c_str(),
                   Field(p.total).c_str());
    }
  }
  for (std::FILE* f : {deployments.get(), changes.get(), prs.get()}) {
    if (std::ferror(f)) return Status::Internal("cannot write the rows into " + dir);
  }
  return Status::Ok();
}

Status WriteQueries(const std::string& path, const std::vector<PeerQuery>& queries) {
  nlohmann::json out = nlohmann::json::array();
  for (const PeerQuery& q : queries) {
    nlohmann::json query = {{"repositories", q.repositories},
                            {"since", q.query.window.since},
                            {"until", q.query.window.until},
                            {"team", nullptr}};
    if (q.query.team) query["team"] = *q.query.team;
    out.push_back(std::move(query));
  }
  std::ofstream(path) << out.dump() << "\n";
  return Status::Ok();
}

std::optional<double> Number(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<double>();
}

SqlFigures ParseFigures(const nlohmann::json& f) {
  SqlFigures out;
  out.deployments = f.at("deployments").get<std::int64_t>();
  out.attempts = f.at("attempts").get<std::int64_t>();
  out.failed = f.at("failed").get<std::int64_t>();
  out.rework = f.at("rework").get<std::int64_t>();
  out.lead_sample = f.at("lead_sample").get<std::int64_t>();
  out.lead_median = Number(f.at("lead_median"));
  out.lead_p75 = Number(f.at("lead_p75"));
  out.lead_p90 = Number(f.at("lead_p90"));
  out.lead_mean = Number(f.at("lead_mean"));
  out.recovery_median = Number(f.at("recovery_median"));
  out.deploys_per_week_median = Number(f.at("deploys_per_week_median"));
  out.deploy_days_per_week_median = Number(f.at("deploy_days_per_week_median"));
  out.merged_pull_requests = f.at("merged_pull_requests").get<std::int64_t>();
  for (int i = 0; i < 5; ++i) out.stage_medians[i] = Number(f.at("stage_medians").at(i));
  return out;
}

std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Result<DuckDbRun> RunDuckDb(const std::string& script, const std::string& dir,
                            const std::vector<engine::RepositoryFacts>& facts,
                            const std::vector<PeerQuery>& queries, int runs) {
  const std::string modules =
      (std::filesystem::path(script).parent_path() / "node_modules/@duckdb/node-api").string();
  if (!std::filesystem::exists(modules)) {
    return Status::FailedPrecondition(
        "DuckDB's Node package is not installed next to " + script +
        ": run bench/duckdb/install.sh (npm ci), or bench/metrics_bench.sh, which does");
  }
  LEADLINE_RETURN_IF_ERROR(WriteRows(dir, facts));
  LEADLINE_RETURN_IF_ERROR(WriteQueries(dir + "/queries.json", queries));
  const std::string command =
      "node " + Quoted(script) + " " + Quoted(dir) + " " + std::to_string(runs);
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return Status::Internal("cannot run: " + command);
  std::string output;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  const int status = pclose(pipe);
  if (status != 0) {
    return Status::Internal("the DuckDB side failed (" + command + ", exit status " +
                            std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : status) +
                            "): its error is above; is Node 20 or later installed?");
  }
  try {
    const nlohmann::json answer = nlohmann::json::parse(output);
    DuckDbRun out;
    out.version = answer.at("version").get<std::string>();
    out.threads = answer.at("threads").get<int>();
    out.load_ms = answer.at("load_ms").get<double>();
    for (const nlohmann::json& result : answer.at("results")) {
      out.results.push_back(
          {ParseFigures(result.at("figures")), result.at("ms").get<std::vector<double>>()});
    }
    if (out.results.size() != queries.size()) {
      return Status::Internal("the DuckDB side answered " + std::to_string(out.results.size()) +
                              " queries of " + std::to_string(queries.size()));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return Status::Internal(std::string("the DuckDB side's answer is not what it should be: ") +
                            e.what());
  }
}

}  // namespace leadline::bench
