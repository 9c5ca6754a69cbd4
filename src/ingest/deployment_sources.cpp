#include "ingest/deployment_sources.h"

#include <re2/re2.h>

#include <set>

namespace leadline::ingest {

namespace {

common::Status NoMatchingTagError(const std::vector<model::Ref>& refs, const std::string& pattern) {
  constexpr std::size_t kShown = 10;
  std::vector<std::string> tags;
  for (const model::Ref& ref : refs) {
    if (ref.kind == model::RefKind::kTag) tags.push_back(ref.name);
  }
  if (tags.empty()) {
    return common::Status::FailedPrecondition(
        "the repository has no tags, so no deployments: tag your releases, or pass "
        "--deploy-log FILE with lines '<sha> <RFC 3339 time> [success|failure]'");
  }
  std::string listed;
  for (std::size_t i = 0; i < tags.size() && i < kShown; ++i) {
    listed += (i ? ", " : "") + tags[i];
  }
  if (tags.size() > kShown) listed += ", ... (" + std::to_string(tags.size()) + " in all)";
  return common::Status::FailedPrecondition("no tag matches --deploy-tags '" + pattern +
                                            "'; the repository's tags are: " + listed);
}

}  // namespace

common::Result<std::vector<model::Deployment>> DeploymentsFromTags(
    const std::vector<model::Ref>& refs, const std::string& pattern,
    const CommitTimeLookup& commit_time) {
  RE2 re(pattern, RE2::Quiet);
  if (!re.ok()) {
    return common::Status::InvalidArgument("--deploy-tags '" + pattern +
                                           "' is not a valid regular expression: " + re.error());
  }
  std::vector<model::Deployment> out;
  for (const model::Ref& tag : refs) {
    if (tag.kind != model::RefKind::kTag || !RE2::PartialMatch(tag.name, re)) continue;
    model::Deployment d;
    d.natural_key = "tag:" + tag.name;
    d.source = "tag";
    d.ref = tag.name;
    d.sha = tag.target_sha;
    if (tag.tag_time) {
      d.finished_at = *tag.tag_time;
    } else {
      LEADLINE_ASSIGN_OR_RETURN(d.finished_at, commit_time(tag.target_sha));
    }
    out.push_back(std::move(d));
  }
  if (out.empty()) return NoMatchingTagError(refs, pattern);
  return out;
}

std::vector<model::Deployment> DeploymentsFromLog(const std::vector<sources::DeployLogEntry>& log,
                                                  const std::vector<std::string>& resolved_shas) {
  std::vector<model::Deployment> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < log.size(); ++i) {
    model::Deployment d;
    d.sha = resolved_shas[i];
    d.finished_at = log[i].finished_at;
    d.natural_key = "log:" + d.sha + "@" + std::to_string(d.finished_at);
    if (!seen.insert(d.natural_key).second) continue;  // the same line twice
    d.source = "deploy-log";
    d.status =
        log[i].success ? model::DeploymentStatus::kSuccess : model::DeploymentStatus::kFailure;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace leadline::ingest
