#include "gitlab_state.h"

#include "common/time.h"

namespace leadline::testing {

GitLabState::GitLabState(GitLabDoubleConfig config)
    : config_(std::move(config)), history_(config_.history_start), tokens_(config_.tokens) {
  GrowGitLabHistory(history_, Shape());
}

std::string GitLabState::url() const {
  return "http://127.0.0.1:" + std::to_string(port.load()) + config_.relative_url_root;
}

GitLabShape GitLabState::Shape() const {
  std::lock_guard lock(mutex_);
  GitLabShape shape;
  shape.projects = config_.projects;
  shape.merge_requests = config_.merge_requests_per_project + advanced_;
  shape.pipelines = config_.pipelines_per_project + advanced_;
  shape.deployments = config_.deployments_per_project + advanced_;
  shape.start = config_.history_start;
  shape.pace = config_.pace_seconds;
  shape.production_environment = config_.production_environment;
  shape.production_tier = config_.production_tier;
  shape.base_url = url();
  return shape;
}

void GitLabState::Advance(int count) {
  // The commits exist before any answer names them.
  GitLabShape grown = Shape();
  grown.merge_requests += count;
  GrowGitLabHistory(history_, grown);
  std::lock_guard lock(mutex_);
  advanced_ += count;
}

std::optional<GitLabToken> GitLabState::FindToken(const std::string& value) const {
  std::lock_guard lock(mutex_);
  for (const GitLabToken& token : tokens_) {
    if (!value.empty() && token.value == value) return token;
  }
  return std::nullopt;
}

void GitLabState::SetToken(const GitLabToken& token) {
  std::lock_guard lock(mutex_);
  for (GitLabToken& known : tokens_) {
    if (known.value == token.value) {
      known = token;
      return;
    }
  }
  tokens_.push_back(token);
}

std::vector<GitLabHook> GitLabState::Hooks(const std::string& project_path) const {
  std::lock_guard lock(mutex_);
  const auto found = hooks_.find(project_path);
  return found == hooks_.end() ? std::vector<GitLabHook>{} : found->second;
}

GitLabHook GitLabState::AddHook(const std::string& project_path, GitLabHook hook) {
  std::lock_guard lock(mutex_);
  hook.id = ++hooks_made_;
  hooks_[project_path].push_back(hook);
  return hook;
}

bool GitLabState::RemoveHook(const std::string& project_path, int id) {
  std::lock_guard lock(mutex_);
  return std::erase_if(hooks_[project_path], [&](const GitLabHook& h) { return h.id == id; }) > 0;
}

bool GitLabState::UpdateHook(const std::string& project_path, int id, GitLabHook hook) {
  std::lock_guard lock(mutex_);
  for (GitLabHook& existing : hooks_[project_path]) {
    if (existing.id != id) continue;
    hook.id = id;
    if (hook.token.empty()) hook.token = existing.token;  // GitLab keeps what a PUT leaves out
    existing = std::move(hook);
    return true;
  }
  return false;
}

void SendGitLabJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void SendMessage(httplib::Response& res, int status, const std::string& message) {
  SendGitLabJson(res, status, {{"message", message}});
}

void SendError(httplib::Response& res, int status, const std::string& error) {
  SendGitLabJson(res, status, {{"error", error}});
}

Row GitLabState::AddNote(const GitLabProject& project, int iid, const std::string& body,
                         std::int64_t at) {
  std::lock_guard lock(mutex_);
  // Ids above every note the shape makes (project.id * 1000000 + iid * 10 + k).
  const std::int64_t id = 900'000'000 + ++notes_made_;
  Row row{{{"id", id},
           {"type", nullptr},
           {"body", body},
           {"attachment", nullptr},
           {"author", {{"id", 99}, {"username", "leadline"}, {"name", "Leadline"}}},
           {"created_at", common::FormatRfc3339(at)},
           {"updated_at", common::FormatRfc3339(at)},
           {"system", false},
           {"noteable_id", project.id * 100000 + iid},
           {"noteable_type", "MergeRequest"},
           {"project_id", project.id},
           {"resolvable", false},
           {"confidential", false},
           {"internal", false},
           {"noteable_iid", iid}},
          id,
          at,
          at};
  notes_[project.path + "!" + std::to_string(iid)].push_back(row);
  return row;
}

std::optional<Row> GitLabState::EditNote(const GitLabProject& project, int iid, std::int64_t id,
                                         const std::string& body, std::int64_t at) {
  std::lock_guard lock(mutex_);
  const std::string key = project.path + "!" + std::to_string(iid);
  for (Row& row : notes_[key]) {
    if (row.id != id) continue;
    row.object["body"] = body;
    row.object["updated_at"] = common::FormatRfc3339(at);
    row.updated_at = at;
    ++note_edits_[key];
    return row;
  }
  return std::nullopt;
}

std::vector<Row> GitLabState::PostedNotes(const std::string& project_path, int iid) const {
  std::lock_guard lock(mutex_);
  const auto found = notes_.find(project_path + "!" + std::to_string(iid));
  return found == notes_.end() ? std::vector<Row>() : found->second;
}

int GitLabState::NoteEdits(const std::string& project_path, int iid) const {
  std::lock_guard lock(mutex_);
  const auto found = note_edits_.find(project_path + "!" + std::to_string(iid));
  return found == note_edits_.end() ? 0 : found->second;
}

}  // namespace leadline::testing
