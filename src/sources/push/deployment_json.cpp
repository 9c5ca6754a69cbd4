#include "sources/push/deployment_json.h"

#include "common/text.h"
#include "sources/push/field_reader.h"

namespace leadline::sources {
namespace {

using model::PlatformDeploymentState;
using model::PlatformDeploymentStatus;
using nlohmann::json;

void ReadDeployment(const json& value, const std::string& where, ParsedDeployments& out) {
  FieldReader reader(value, where,
                     {"id", "repository", "environment", "commit", "status", "started_at",
                      "finished_at", "pipeline_id", "run_id", "branch"},
                     out.errors);
  PushedDeployment pushed;
  model::PlatformDeployment& d = pushed.deployment;
  const std::string id = reader.Text("id", true);
  d.provider = model::Provider::kPush;
  d.uuid = id;
  pushed.repository = reader.Text("repository", true);
  d.environment_name = reader.Text("environment", true);
  d.commit_sha = reader.Commit("commit", true);
  const std::string status = common::AsciiLower(reader.Text("status", true));
  d.started_at = reader.Time("started_at", false);
  const std::size_t errors_before_finish = out.errors.size();
  d.completed_at = reader.Time("finished_at", false);
  // Absent, null or "" (not malformed, which is reported already).
  const bool finish_missing = !d.completed_at && out.errors.size() == errors_before_finish;
  const std::string pipeline = reader.Text("pipeline_id", false);
  const std::string run = reader.Text("run_id", false);
  if (std::string branch = reader.Text("branch", false); !branch.empty()) {
    d.branch = std::move(branch);
  }
  // For people: "deploy-api #4711", or the caller's id.
  d.release_name = run.empty() ? (pipeline.empty() ? id : pipeline)
                               : (pipeline.empty() ? "#" + run : pipeline + " #" + run);
  reader.RejectUnknownFields();

  if (status == "success" || status == "failed" || status == "stopped") {
    d.state = PlatformDeploymentState::kCompleted;
    d.status = status == "success"  ? PlatformDeploymentStatus::kSuccessful
               : status == "failed" ? PlatformDeploymentStatus::kFailed
                                    : PlatformDeploymentStatus::kStopped;
    if (finish_missing) {
      reader.Fail("finished_at", "is required once a deployment is over");
    }
  } else if (status == "in_progress") {
    d.state = PlatformDeploymentState::kInProgress;
  } else if (!status.empty()) {
    reader.Fail("status", "must be success, failed, stopped or in_progress, not '" + status + "'");
  }
  if (d.started_at && d.completed_at && *d.completed_at < *d.started_at) {
    reader.Fail("finished_at", "is before started_at");
  }
  out.deployments.push_back(std::move(pushed));
}

}  // namespace

ParsedDeployments ReadDeployments(std::string_view text, std::size_t max_items) {
  ParsedDeployments out;
  ForEachObject(
      text, "deployments", max_items, out.errors,
      [&](const json& value, const std::string& where) { ReadDeployment(value, where, out); });
  std::vector<std::string> ids;
  for (const PushedDeployment& d : out.deployments) {
    ids.push_back(d.deployment.uuid);
  }
  RejectDuplicateIds(std::move(ids), out.errors);
  return out;
}

common::Result<std::vector<PushedDeployment>> ParseDeployments(std::string_view text,
                                                               std::size_t max_items) {
  ParsedDeployments parsed = ReadDeployments(text, max_items);
  if (parsed.errors.empty()) return std::move(parsed.deployments);
  return common::Status::InvalidArgument(DescribeErrors(parsed.errors));
}

}  // namespace leadline::sources
