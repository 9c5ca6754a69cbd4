#include "double_state.h"

namespace leadline::testing {

DoubleState::DoubleState(BitbucketDoubleConfig config)
    : config_(std::move(config)), history_(config_.history_start) {
  GrowHistory(history_, Shape());
}

CloudWorkspaceShape DoubleState::Shape() const {
  std::lock_guard lock(mutex_);
  CloudWorkspaceShape shape;
  shape.workspace = config_.workspace;
  shape.nickname = config_.nickname;
  shape.pull_requests = config_.pull_requests_per_repo + added_pull_requests_;
  shape.pipelines = config_.pipelines_per_repo + added_pipelines_;
  shape.deployments = config_.deployments_per_repo + added_pipelines_;
  shape.manual_production = config_.manual_production;
  shape.triggered = triggered_;
  shape.last_pipeline_running = !pipelines_finished_;
  shape.start = config_.history_start;
  shape.pace = config_.pace_seconds;
  shape.organisation = config_.organisation;
  shape.published = published_;
  return shape;
}

std::shared_ptr<const nlohmann::json> DoubleState::ActivityStream() {
  int version = 0;
  {
    std::lock_guard lock(mutex_);
    if (cached_for_ == version_) return cached_stream_;
    version = version_;
  }
  const CloudWorkspaceShape shape = Shape();
  auto stream = std::make_shared<const nlohmann::json>(CloudActivityStream(shape, history_));
  std::lock_guard lock(mutex_);
  if (version == version_) {
    cached_stream_ = stream;
    cached_for_ = version;
  }
  return stream;
}

void DoubleState::AddPullRequests(int count) {
  // The commits exist before any answer names them.
  CloudWorkspaceShape grown = Shape();
  grown.pull_requests += count;
  GrowHistory(history_, grown);
  std::lock_guard lock(mutex_);
  added_pull_requests_ += count;
  ++version_;
}

void DoubleState::AddPipelines(int count) {
  std::lock_guard lock(mutex_);
  added_pipelines_ += count;
  ++version_;
}

void DoubleState::TriggerManualStep(int number, std::int64_t at) {
  std::lock_guard lock(mutex_);
  triggered_[number] = at;
  ++version_;
}

void DoubleState::PublishComments(int number, int count, std::int64_t at) {
  std::lock_guard lock(mutex_);
  published_[number] = {count, at};
  ++version_;
}

void DoubleState::FinishPipelines() {
  std::lock_guard lock(mutex_);
  pipelines_finished_ = true;
  ++version_;
}

std::vector<RegisteredHook> DoubleState::Hooks(const std::string& location) const {
  std::lock_guard lock(mutex_);
  const auto found = hooks_.find(location);
  return found == hooks_.end() ? std::vector<RegisteredHook>{} : found->second;
}

RegisteredHook DoubleState::AddHook(const std::string& location, RegisteredHook hook,
                                    const std::function<std::string(int)>& new_id) {
  std::lock_guard lock(mutex_);
  hook.id = new_id(++hooks_made_);
  hooks_[location].push_back(hook);
  return hook;
}

bool DoubleState::UpdateHook(const std::string& location, RegisteredHook hook) {
  std::lock_guard lock(mutex_);
  for (RegisteredHook& known : hooks_[location]) {
    if (known.id == hook.id) {
      known = std::move(hook);
      return true;
    }
  }
  return false;
}

bool DoubleState::RemoveHook(const std::string& location, const std::string& id) {
  std::lock_guard lock(mutex_);
  return std::erase_if(hooks_[location], [&](const RegisteredHook& h) { return h.id == id; }) > 0;
}

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void CloudError(httplib::Response& res, int status, const std::string& message,
                const nlohmann::json& detail) {
  nlohmann::json error = {{"message", message}};
  if (!detail.is_null()) error["detail"] = detail;
  SendJson(res, status, {{"type", "error"}, {"error", error}});
}

int IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (...) {
    return -1;
  }
}

}  // namespace leadline::testing
