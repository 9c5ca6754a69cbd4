// The GitLab parse functions against recorded pages: tests/connectors/gitlab/<entity>/pageN.json
// holds an API answer in the shape GitLab's documentation gives (a listing's array, or one
// object) and pageN.expected.json the rows Leadline must make of it (an array with one row per
// element, null where an element is not a row, or one row). Rows are written in the model's own
// words (state names, RFC 3339 UTC times, null for an empty optional) and compared field by field.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/file.h"
#include "sources/gitlab/gitlab_parse.h"

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using nlohmann::json;

const std::filesystem::path kPagesDir = LEADLINE_SOURCE_DIR "/tests/connectors/gitlab";

template <typename T>
json Optional(const std::optional<T>& value) {
  return value ? json(*value) : json();
}

json Time(common::UnixSeconds at) { return common::FormatRfc3339(at); }

json Time(const std::optional<common::UnixSeconds>& at) { return at ? Time(*at) : json(); }

json Row(const model::Repository& repository) {
  return {{"id", repository.id},
          {"source", repository.source},
          {"location", repository.location},
          {"name", repository.name},
          {"default_branch", repository.default_branch},
          {"connection_id", repository.connection_id},
          {"selected", repository.selected},
          {"clone_url", repository.clone_url},
          {"visible", repository.visible},
          {"synced_at", Time(repository.synced_at)},
          {"webhook_id", repository.webhook_id}};
}

json Row(const model::PullRequest& pr) {
  return {{"number", pr.number},
          {"title", pr.title},
          {"state", model::PullRequestStateName(pr.state)},
          {"author", {{"id", pr.author.id}, {"name", pr.author.name}}},
          {"source_branch", pr.source_branch},
          {"target_branch", pr.target_branch},
          {"source_commit", pr.source_commit},
          {"target_commit", pr.target_commit},
          {"merge_commit", Optional(pr.merge_commit)},
          {"created_at", Time(pr.created_at)},
          {"updated_at", Time(pr.updated_at)},
          {"closed_at", Time(pr.closed_at)},
          {"closed_by", Optional(pr.closed_by)},
          {"comment_count", pr.comment_count},
          {"draft", pr.draft},
          {"size", pr.size ? json({{"files_changed", pr.size->files_changed},
                                   {"lines_added", pr.size->lines_added},
                                   {"lines_deleted", pr.size->lines_deleted}})
                           : json()}};
}

json Row(const model::PullRequestActivity& activity) {
  return {{"pr_number", activity.pr_number},
          {"kind", model::PullRequestActivityKindName(activity.kind)},
          {"actor_id", activity.actor_id},
          {"at", Time(activity.at)},
          {"new_state",
           activity.new_state ? json(model::PullRequestStateName(*activity.new_state)) : json()},
          {"upstream_id", activity.upstream_id}};
}

json Row(const model::Pipeline& pipeline) {
  return {{"uuid", pipeline.uuid},
          {"build_number", Optional(pipeline.build_number)},
          {"ref_name", pipeline.ref_name},
          {"commit_sha", pipeline.commit_sha},
          {"state", model::PipelineStateName(pipeline.state)},
          {"result", pipeline.result ? json(model::PipelineResultName(*pipeline.result)) : json()},
          {"created_at", Time(pipeline.created_at)},
          {"completed_at", Time(pipeline.completed_at)},
          {"duration_s", Optional(pipeline.duration_s)}};
}

json Row(const model::PlatformDeployment& deployment) {
  return {
      {"uuid", deployment.uuid},
      {"environment_uuid", Optional(deployment.environment_uuid)},
      {"environment_name", Optional(deployment.environment_name)},
      {"environment_type", deployment.environment_type
                               ? json(model::EnvironmentTypeName(*deployment.environment_type))
                               : json()},
      {"state", model::PlatformDeploymentStateName(deployment.state)},
      {"status",
       deployment.status ? json(model::PlatformDeploymentStatusName(*deployment.status)) : json()},
      {"commit_sha", deployment.commit_sha},
      {"started_at", Time(deployment.started_at)},
      {"completed_at", Time(deployment.completed_at)},
      {"release_name", deployment.release_name}};
}

// `parse(element)` as a row, or the parse error.
template <typename T, typename ToRow>
Result<json> RowOf(Result<T> parsed, ToRow to_row) {
  if (!parsed.ok()) return parsed.status();
  return to_row(*parsed);
}

using RowParser = std::function<Result<json>(const json& element)>;

// Each entity's folder and how one element of its pages becomes a row.
const std::map<std::string, RowParser>& Parsers() {
  static const std::map<std::string, RowParser> parsers{
      {"version",
       [](const json& e) {
         return RowOf(ParseVersion(e), [](const std::string& v) { return json{{"version", v}}; });
       }},
      {"user",
       [](const json& e) {
         return RowOf(ParseUser(e), [](const TokenUser& u) {
           return json{{"id", u.id}, {"username", u.username}, {"name", u.name}, {"bot", u.bot}};
         });
       }},
      {"token_self",
       [](const json& e) {
         return RowOf(ParseTokenInfo(e), [](const TokenInfo& t) {
           return json{{"name", t.name},
                       {"scopes", t.scopes},
                       {"expires_at", t.expires_at},
                       {"active", t.active},
                       {"revoked", t.revoked}};
         });
       }},
      {"projects",
       [](const json& e) {
         return RowOf(ParseProject(e), [](const Project& p) {
           return json{{"id", p.id}, {"archived", p.archived}, {"repository", Row(p.repository)}};
         });
       }},
      {"merge_requests",
       [](const json& e) {
         return RowOf(ParseMergeRequest(e), [](const model::PullRequest& pr) { return Row(pr); });
       }},
      {"notes",
       [](const json& e) {
         // Ingest passes the iid of the merge request whose notes it lists; the note names it too.
         const std::int64_t iid = e.value("noteable_iid", std::int64_t{0});
         return RowOf(ParseNote(e, iid), [](const std::optional<model::PullRequestActivity>& a) {
           return a ? Row(*a) : json();
         });
       }},
      {"pipelines",
       [](const json& e) {
         return RowOf(ParsePipeline(e), [](const model::Pipeline& p) { return Row(p); });
       }},
      {"environments",
       [](const json& e) {
         return RowOf(ParseEnvironment(e), [](const ParsedEnvironment& p) {
           return json{{"uuid", p.environment.uuid},
                       {"name", p.environment.name},
                       {"type", model::EnvironmentTypeName(p.environment.type)},
                       {"tier_missing", p.tier_missing}};
         });
       }},
      {"deployments",
       [](const json& e) {
         return RowOf(ParseDeployment(e),
                      [](const model::PlatformDeployment& d) { return Row(d); });
       }},
  };
  return parsers;
}

json ReadJson(const std::filesystem::path& path) {
  const Result<std::string> text = common::ReadTextFile(path.string(), "recorded page");
  if (!text.ok()) {
    ADD_FAILURE() << text.status().message();
    return json();
  }
  json parsed = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) ADD_FAILURE() << path << " is not JSON";
  return parsed;
}

// Records a failure for every field where `actual` differs from `expected`.
void ExpectRow(const json& actual, const json& expected, const std::string& where) {
  for (const json& change : json::diff(expected, actual)) {
    const std::string pointer = change["path"];
    const json::json_pointer at(pointer);
    const std::string op = change["op"];
    ADD_FAILURE() << where << (pointer.empty() ? ", the row" : ", field " + pointer)
                  << ": expected " << (op == "add" ? "nothing" : expected.at(at).dump()) << ", got "
                  << (op == "remove" ? "nothing" : actual.at(at).dump());
  }
}

std::vector<std::filesystem::path> Pages(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> pages;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".json") && !name.ends_with(".expected.json")) pages.push_back(entry.path());
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

class RecordedPages : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedPages, ParseToTheExpectedRows) {
  const std::filesystem::path folder = kPagesDir / GetParam();
  ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder << " is missing";
  const RowParser& parse = Parsers().at(GetParam());
  const std::vector<std::filesystem::path> pages = Pages(folder);
  ASSERT_FALSE(pages.empty()) << "no pages in " << folder;
  for (const std::filesystem::path& page_path : pages) {
    std::filesystem::path expected_path = page_path;
    expected_path.replace_extension(".expected.json");
    const std::string page_name = GetParam() + "/" + page_path.filename().string();
    const json page = ReadJson(page_path);
    const json expected = ReadJson(expected_path);
    // A listing is an array of elements, a single object is its own row.
    const bool listing = page.is_array();
    ASSERT_EQ(expected.is_array(), listing)
        << page_name << " and its expected rows differ in shape";
    const json elements = listing ? page : json::array({page});
    const json rows = listing ? expected : json::array({expected});
    ASSERT_EQ(rows.size(), elements.size()) << page_name;
    for (std::size_t i = 0; i < elements.size(); ++i) {
      const std::string where = page_name + (listing ? "[" + std::to_string(i) + "]" : "");
      const Result<json> row = parse(elements[i]);
      if (!row.ok()) {
        ADD_FAILURE() << where << ": " << row.status().message();
        continue;
      }
      ExpectRow(*row, rows[i], where);
    }
  }
}

std::vector<std::string> Entities() {
  std::vector<std::string> names;
  for (const auto& [name, parse] : Parsers()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(GitLab, RecordedPages, ::testing::ValuesIn(Entities()),
                         [](const ::testing::TestParamInfo<std::string>& entity) {
                           return entity.param;
                         });

TEST(RecordedPagesFolder, HoldsOnlyEntitiesThatAreTested) {
  for (const auto& entry : std::filesystem::directory_iterator(kPagesDir)) {
    EXPECT_TRUE(Parsers().contains(entry.path().filename().string()))
        << entry.path() << " has no parser in this test";
  }
}

}  // namespace
}  // namespace leadline::sources::gitlab
