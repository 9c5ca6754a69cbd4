#include "double_state.h"

#include "organisation.h"

namespace leadline::testing {

DoubleState::DoubleState(BitbucketDoubleConfig config)
    : config_(std::move(config)),
      histories_(config_.organisation ? config_.repositories : 1, config_.history_start,
                 [this](GitHistory& history, int index) {
                   CloudWorkspaceShape shape;
                   {
                     std::lock_guard lock(mutex_);
                     shape = ShapeLocked(index + 1, 0);
                   }
                   GrowHistory(history, shape);
                 }) {}

CloudWorkspaceShape DoubleState::Shape(int repo) const {
  std::lock_guard lock(mutex_);
  return ShapeLocked(repo, 0);
}

const GitHistory& DoubleState::history(int repo) const {
  return histories_.at(config_.organisation ? repo - 1 : 0);
}

CloudWorkspaceShape DoubleState::ShapeLocked(int repo, int more_pull_requests) const {
  CloudWorkspaceShape shape;
  shape.workspace = config_.workspace;
  shape.nickname = config_.nickname;
  shape.pull_requests = config_.pull_requests_per_repo;
  shape.pipelines = config_.pipelines_per_repo;
  shape.deployments = config_.deployments_per_repo;
  shape.manual_production = config_.manual_production;
  shape.triggered = triggered_;
  shape.last_pipeline_running = !pipelines_finished_;
  shape.start = config_.history_start;
  shape.pace = config_.pace_seconds;
  shape.organisation = config_.organisation;
  shape.published = published_;
  // An organisation's repository scales the configured counts to its own pace; what a test added
  // comes on top.
  if (config_.organisation) shape = OrganisationRepositoryShape(shape, repo);
  shape.pull_requests += added_pull_requests_ + more_pull_requests;
  shape.pipelines += added_pipelines_;
  shape.deployments += added_pipelines_;
  return shape;
}

void DoubleState::GrowHistories(int more) {
  for (int i = 0; i < histories_.size(); ++i) {
    CloudWorkspaceShape grown;
    {
      std::lock_guard lock(mutex_);
      grown = ShapeLocked(i + 1, more);
    }
    GrowHistory(histories_.at(i), grown);
  }
}

std::shared_ptr<const nlohmann::json> DoubleState::ActivityStream(int repo) {
  const int key = config_.organisation ? repo : 0;  // the uniform repositories share one stream
  int version = 0;
  {
    std::lock_guard lock(mutex_);
    if (cached_for_ != version_) {
      cached_streams_.clear();
      cached_for_ = version_;
    }
    for (const auto& [repository, stream] : cached_streams_) {
      if (repository == key) return stream;
    }
    version = version_;
  }
  const CloudWorkspaceShape shape = Shape(repo);
  auto stream = std::make_shared<const nlohmann::json>(CloudActivityStream(shape, history(repo)));
  std::lock_guard lock(mutex_);
  if (version == version_) {
    cached_streams_.emplace_back(key, stream);
    if (cached_streams_.size() > kCachedStreams) cached_streams_.pop_front();
  }
  return stream;
}

void DoubleState::AddPullRequests(int count) {
  // The commits exist before any answer names them.
  GrowHistories(count);
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
