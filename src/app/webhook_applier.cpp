#include "app/webhook_applier.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "store/store.h"

namespace leadline::app {
namespace {

using nlohmann::json;

constexpr std::size_t kBatch = 500;

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Data Center names a repository by its project key and slug.
std::string DataCenterLocation(const json& repository) {
  if (!repository.is_object()) return "";
  const json project = repository.value("project", json::object());
  if (!project.is_object() || !project.contains("key") || !repository.contains("slug")) return "";
  return project["key"].get<std::string>() + "/" + repository["slug"].get<std::string>();
}

}  // namespace

DeliveryTarget TargetOf(const model::WebhookDelivery& delivery) {
  const std::string& key = delivery.event_key;
  if (key == "diagnostics:ping") return {"", "applied: ping"};
  const bool used = key == "repo:push" || StartsWith(key, "pullrequest:") ||
                    StartsWith(key, "repo:commit_status_") || key == "repo:refs_changed" ||
                    StartsWith(key, "pr:");
  if (!used) return {"", "ignored: event key " + key + " is not used"};
  const json body = json::parse(delivery.body, nullptr, /*allow_exceptions=*/false);
  std::string location;
  if (key == "repo:refs_changed") {
    location = DataCenterLocation(body.value("repository", json()));
  } else if (StartsWith(key, "pr:")) {
    location = DataCenterLocation(body.value("pullRequest", json::object())
                                      .value("toRef", json::object())
                                      .value("repository", json()));
  } else if (body.is_object() && body.contains("repository")) {
    location = body["repository"].value("full_name", "");
  }
  if (location.empty()) return {"", "ignored: the payload names no repository"};
  return {location, ""};
}

WebhookApplier::WebhookApplier(std::string db_path, Sync sync, std::function<void()> applied,
                               std::function<void(std::int64_t)> depth)
    : db_path_(std::move(db_path)),
      sync_(std::move(sync)),
      applied_(std::move(applied)),
      depth_(std::move(depth)) {}

WebhookApplier::~WebhookApplier() { Stop(); }

void WebhookApplier::Start() {
  thread_ = std::thread([this] { Run(); });
}

void WebhookApplier::Notify() {
  std::lock_guard lock(mutex_);
  notified_ = true;
  wake_.notify_one();
}

void WebhookApplier::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void WebhookApplier::Run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(5), [&] { return notified_ || stopping_; });
      if (stopping_) return;
      notified_ = false;
    }
    bool more = true;
    while (more) {
      const common::Status applied = ApplyBatch(&more);
      if (!applied.ok()) {
        std::fprintf(stderr, "leadline: error: applying webhook deliveries: %s\n",
                     applied.message().c_str());
        break;  // tried again on the next wake
      }
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
  }
}

common::Status WebhookApplier::ApplyBatch(bool* more) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(db_path_));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::WebhookDelivery> batch,
                            store->LoadUnappliedDeliveries(kBatch));
  *more = batch.size() == kBatch;
  std::map<std::int64_t, DeliveryTarget> targets;
  std::set<std::string> locations;
  for (const model::WebhookDelivery& delivery : batch) {
    targets[delivery.id] = TargetOf(delivery);
    if (!targets[delivery.id].location.empty()) locations.insert(targets[delivery.id].location);
  }
  // One sync per repository, however many deliveries named it.
  std::map<std::string, std::string> outcomes;
  bool changed = false;
  for (const std::string& location : locations) {
    const common::Status synced = sync_(location);
    if (synced.ok()) {
      outcomes[location] = "applied: synced " + location;
      changed = true;
    } else if (synced.code() == common::StatusCode::kNotFound) {
      outcomes[location] = "ignored: " + location + " is not a selected repository";
    } else {
      outcomes[location] = "failed: " + synced.message() + " (the reconciliation sync retries)";
    }
  }
  const common::UnixSeconds now = common::NowUnixSeconds();
  store::Transaction transaction(*store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  for (const model::WebhookDelivery& delivery : batch) {
    const DeliveryTarget& target = targets[delivery.id];
    LEADLINE_RETURN_IF_ERROR(store->MarkDeliveryApplied(
        delivery.id, now, target.location.empty() ? target.ignored : outcomes[target.location]));
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  if (changed && applied_) applied_();
  if (depth_) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t waiting, store->CountUnappliedDeliveries());
    depth_(waiting);
  }
  return common::Status::Ok();
}

}  // namespace leadline::app
