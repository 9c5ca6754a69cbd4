// Golden cases built from events rather than a git repository: each folder of
// tests/golden/events holds
//   events.json    commits (by name, with parents and times), deployments (with their
//                  environment, "production" by default), pull requests and their activity,
//                  incidents (of services; the repository's service is "case"; an incident with
//                  a "connection" was read by that incident connection), the incident
//                  connections' "incident_services" ({connection, id, repos}) and
//                  "incident_connections" ({connection, counts}), and the window;
//                  optionally "default_branch_tip" (the commit main points at), "proxy": true
//                  (no deployments: merges into main stand in) and "production": "each" (the
//                  repository setting); its "_derivation" works out every expected number by hand;
//                  Instead of deployments, pull requests and activity, a case may hold
//                  "gitlab": GitLab's own objects (merge_requests, notes by merge request iid,
//                  environments, deployments) as its API returns them, commits named by their
//                  event names; they go through the GitLab parse functions and the production
//                  rule (the environment's tier) as a synced project's pages do;
//   expected.json  a subset of `leadline report --format json` for those events (see
//                  testing/json_subset.h).
// The events go through the engine exactly as a synced repository's rows do (the snapshot,
// attribution, the report, the pull request stages), and out through the report's JSON renderer.
// Commit hashes in pull requests are abbreviated to 12 digits, as Bitbucket Cloud sends them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/repository_report.h"
#include "cli/report_output.h"
#include "common/time.h"
#include "engine/deployment_selection.h"
#include "engine/incident_selection.h"
#include "engine/pr_stages.h"
#include "sources/gitlab/gitlab_parse.h"
#include "testing/hex_id.h"
#include "testing/json_subset.h"

namespace {

namespace fs = std::filesystem;
using leadline::common::UnixSeconds;
using nlohmann::json;
namespace engine = leadline::engine;
namespace model = leadline::model;

fs::path EventsRoot() { return fs::path(LEADLINE_SOURCE_DIR) / "tests" / "golden" / "events"; }

std::vector<std::string> EventCases() {
  std::vector<std::string> cases;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(EventsRoot(), ec)) {
    if (entry.is_directory()) cases.push_back(entry.path().filename().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
}

UnixSeconds Time(const json& value) {
  return *leadline::common::ParseRfc3339(value.get<std::string>());
}

// Names to 40-digit ids, in the order commits appear.
class CommitNames {
 public:
  std::string Add(const std::string& name) {
    const std::string id = leadline::testing::HexId(ids_.size());
    ids_.emplace(name, id);
    return id;
  }
  std::string Full(const std::string& name) const { return ids_.at(name); }
  std::string Short(const std::string& name) const { return Full(name).substr(0, 12); }

 private:
  std::map<std::string, std::string> ids_;
};

// GitLab's objects with commit names replaced by their ids (40 digits, as GitLab sends them).
json WithCommitIds(json object, const CommitNames& names) {
  for (const char* field : {"sha", "merge_commit_sha", "squash_commit_sha", "base_sha"}) {
    if (object.contains(field) && object[field].is_string()) {
      object[field] = names.Full(object[field].get<std::string>());
    }
  }
  if (object.contains("diff_refs")) object["diff_refs"] = WithCommitIds(object["diff_refs"], names);
  return object;
}

struct GitLabRows {
  std::vector<model::Deployment> deployments;
  std::vector<model::PullRequest> pull_requests;
  std::vector<model::PullRequestActivity> activity;
};

// A case's GitLab objects through the parse functions, and its deployments through the
// production rule, as a synced project's are (environments joined by id, as the store does).
GitLabRows ParseGitLab(const json& gitlab, const CommitNames& names) {
  namespace source = leadline::sources::gitlab;
  GitLabRows rows;
  for (const json& mr : gitlab.value("merge_requests", json::array())) {
    auto pr = source::ParseMergeRequest(WithCommitIds(mr, names));
    EXPECT_TRUE(pr.ok()) << pr.status().message();
    if (pr.ok()) rows.pull_requests.push_back(*pr);
  }
  const json notes_by_iid = gitlab.value("notes", json::object());
  for (const auto& [iid, notes] : notes_by_iid.items()) {
    for (const json& note : notes) {
      auto entry = source::ParseNote(note, std::stoll(iid));
      EXPECT_TRUE(entry.ok()) << entry.status().message();
      if (entry.ok() && *entry) rows.activity.push_back(**entry);
    }
  }
  std::map<std::string, model::Environment> environments;
  for (const json& e : gitlab.value("environments", json::array())) {
    auto parsed = source::ParseEnvironment(e);
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    if (parsed.ok()) environments[parsed->environment.uuid] = parsed->environment;
  }
  std::vector<model::PlatformDeployment> records;
  for (const json& d : gitlab.value("deployments", json::array())) {
    auto record = source::ParseDeployment(WithCommitIds(d, names));
    EXPECT_TRUE(record.ok()) << record.status().message();
    if (!record.ok()) continue;
    if (auto e = environments.find(record->environment_uuid.value_or(""));
        e != environments.end()) {
      record->environment_name = e->second.name;
      record->environment_type = e->second.type;
    }
    records.push_back(*record);
  }
  rows.deployments = engine::ProductionDeployments(records);
  return rows;
}

// The report of the events, as `report --format json` prints it.
json Report(const json& events) {
  CommitNames names;
  leadline::app::ReportOptions options;
  engine::SnapshotBuilder builder(options.hotfix_prefixes);
  for (const json& commit : events["commits"]) {
    std::string parents;
    for (const json& parent : commit["parents"]) {
      parents += (parents.empty() ? "" : " ") + names.Full(parent.get<std::string>());
    }
    const std::string id = names.Add(commit["id"].get<std::string>());
    const std::string message =
        commit.value("message", "Change " + commit["id"].get<std::string>());
    const UnixSeconds committed = Time(commit["committed"]);
    const UnixSeconds authored = commit.contains("authored") ? Time(commit["authored"]) : committed;
    const std::string email = commit.value("author_email", "");
    EXPECT_TRUE(builder.Add({id, parents, authored, committed, message, email}).ok());
  }
  const engine::Snapshot snapshot = std::move(builder.Build()).value();

  leadline::app::RepositoryReport report;
  report.repository = {0, "events", "events/case", "case", "main", 0, false, ""};
  for (const json& d : events.value("deployments", json::array())) {
    model::Deployment deployment;
    deployment.ref = d["ref"];
    deployment.natural_key = deployment.ref;
    deployment.environment = d.value("environment", "production");
    deployment.sha = names.Full(d["commit"].get<std::string>());
    deployment.finished_at = Time(d["finished_at"]);
    deployment.status = d.value("status", "success") == "success"
                            ? model::DeploymentStatus::kSuccess
                            : model::DeploymentStatus::kFailure;
    report.deployments.push_back(deployment);
  }
  std::vector<model::PullRequest> pull_requests;
  for (const json& p : events.value("pull_requests", json::array())) {
    model::PullRequest pr;
    pr.number = p["number"];
    pr.state =
        p["state"] == "MERGED" ? model::PullRequestState::kMerged : model::PullRequestState::kOpen;
    pr.author = {p["author"], p.value("author_name", p["author"].get<std::string>())};
    pr.target_branch = "main";
    pr.source_branch = p.value("source_branch", "feature/" + std::to_string(pr.number));
    if (p.contains("source")) pr.source_commit = names.Short(p["source"]);
    // A branch commit no sync mirrored: not in the graph.
    if (p.contains("source_unmirrored")) pr.source_commit = p["source_unmirrored"];
    if (p.contains("branch_commits")) {
      const json& listed = p["branch_commits"];
      pr.branch_commits = model::BranchCommits{listed["count"].get<int>(),
                                               listed.contains("first") ? Time(listed["first"]) : 0,
                                               listed.value("email", std::string())};
    }
    if (p.contains("target")) pr.target_commit = names.Short(p["target"]);
    if (p.contains("merge_commit")) pr.merge_commit = names.Short(p["merge_commit"]);
    pr.created_at = Time(p["created"]);
    if (p.contains("closed")) pr.closed_at = Time(p["closed"]);
    pull_requests.push_back(pr);
  }
  std::vector<model::PullRequestActivity> activity;
  for (const json& a : events.value("activity", json::array())) {
    const std::string kind = a["kind"];
    activity.push_back({a["pr"],
                        kind == "approval" ? model::PullRequestActivityKind::kApproval
                        : kind == "changes_requested"
                            ? model::PullRequestActivityKind::kChangesRequested
                            : model::PullRequestActivityKind::kComment,
                        a["actor"], Time(a["at"]), std::nullopt, a.value("id", std::string())});
  }

  if (events.contains("gitlab")) {
    GitLabRows gitlab = ParseGitLab(events["gitlab"], names);
    report.deployments = std::move(gitlab.deployments);
    pull_requests = std::move(gitlab.pull_requests);
    activity = std::move(gitlab.activity);
  }

  std::vector<model::Incident> incidents;
  for (const json& i : events.value("incidents", json::array())) {
    model::Incident incident;
    incident.id = i["id"];
    incident.service = i["service"];
    incident.severity = i["severity"];
    incident.started_at = Time(i["started_at"]);
    if (i.contains("resolved_at")) incident.resolved_at = Time(i["resolved_at"]);
    if (i.contains("commit")) incident.commit = names.Short(i["commit"]);
    incident.deployment = i.value("deployment", "");
    incident.connection_id = i.value("connection", 0);
    if (incident.connection_id != 0) incident.source = "pagerduty";
    incidents.push_back(incident);
  }
  std::vector<model::IncidentService> services;
  for (const json& s : events.value("incident_services", json::array())) {
    services.push_back({s["connection"], s["id"], s["id"], s.value("repos", "")});
  }
  std::vector<model::IncidentConnectionState> connections;
  for (const json& c : events.value("incident_connections", json::array())) {
    connections.push_back({c["connection"], c["counts"], ""});
  }

  options.since = Time(events["window"]["since"]);
  options.until = Time(events["window"]["until"]);
  options.analysis.releases.each_environment = events.value("production", "once") == "each";
  // As app/stored_report.cpp does.
  engine::RepositoryContext context;
  if (events.contains("default_branch_tip")) {
    context.branches.default_tip =
        snapshot.graph.FindByPrefix(names.Full(events["default_branch_tip"]));
  }
  context.branches.pull_request_hotfixes =
      engine::HotfixPullRequests(snapshot.graph, pull_requests, options.hotfix_prefixes);
  // A proxy case has no production deployments: its merges stand for them.
  engine::ReportDeployments chosen = engine::ChooseReportDeployments(
      events.value("proxy", false) ? std::vector<model::Deployment>()
                                   : std::move(report.deployments),
      snapshot, pull_requests, "main", options.analysis.releases);
  report.deployments = std::move(chosen.deployments);
  context.production_before = chosen.previous_merge;
  report.proxy = chosen.proxy;
  // As app/incidents.cpp does.
  engine::IncidentSelection selected =
      engine::SelectAllIncidents(incidents, report.repository, options.incidents, services,
                                 connections, snapshot.graph, report.deployments);
  const engine::DeploymentAnalysis analysis = engine::AnalyzeDeployments(
      snapshot, report.deployments, options.analysis, std::move(selected.points), context);
  const engine::ReportWindow window = leadline::app::ResolveWindow(options, report.deployments);
  report.report = std::move(engine::BuildReport(snapshot, report.deployments, analysis, window,
                                                options.benchmark_year))
                      .value();
  report.pull_requests = engine::ComputeStages(
      snapshot, pull_requests, activity, report.deployments, analysis.attribution, options.stages);
  report.stages = engine::SummarizeStages(report.pull_requests, window.since, window.until);
  return json::parse(leadline::cli::RenderJson(report));
}

class EventsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(EventsTest, ReportMatchesExpectedJson) {
  const fs::path dir = EventsRoot() / GetParam();
  const json events = ReadJson(dir / "events.json");
  const json expected = ReadJson(dir / "expected.json");
  ASSERT_FALSE(events.is_discarded()) << dir / "events.json"
                                      << " is not valid JSON";
  ASSERT_FALSE(expected.is_discarded()) << dir / "expected.json"
                                        << " is not valid JSON";
  ASSERT_TRUE(events.contains("_derivation")) << "every case works its numbers out by hand";
  const json actual = Report(events);
  std::string report;
  for (const std::string& error : leadline::testing::SubsetDifferences(expected, actual)) {
    report += "  " + error + "\n";
  }
  EXPECT_TRUE(report.empty()) << "differences from " << (dir / "expected.json").string() << ":\n"
                              << report << "actual:\n"
                              << actual.dump(2);
}

INSTANTIATE_TEST_SUITE_P(Cases, EventsTest, ::testing::ValuesIn(EventCases()),
                         [](const auto& test) { return test.param; });

TEST(EventsCasesTest, FolderHoldsTheCases) {
  EXPECT_GE(EventCases().size(), 2u) << "event cases are read from " << EventsRoot();
}

}  // namespace
