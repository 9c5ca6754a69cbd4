#include "app/feedback_worker.h"

#include <algorithm>
#include <chrono>

#include "app/connections.h"
#include "app/feedback_poster.h"
#include "app/sealed_secrets.h"

namespace leadline::app {

common::Seconds FeedbackBackoff(common::Seconds retry_after, std::int64_t attempts) {
  common::Seconds delay = std::max<common::Seconds>(1, retry_after);
  for (std::int64_t i = 0; i < attempts && delay < common::kHour; ++i) delay *= 2;
  return std::min<common::Seconds>(delay, common::kHour);
}

FeedbackWorker::FeedbackWorker(config::Paths paths, std::string owner, config::Settings settings,
                               ConnectionClients& clients, FeedbackWorkerOptions options,
                               std::function<void(const std::string&)> log)
    : paths_(std::move(paths)),
      owner_(std::move(owner)),
      settings_(std::move(settings)),
      clients_(clients),
      options_(options),
      log_(std::move(log)) {}

FeedbackWorker::~FeedbackWorker() { Stop(); }

void FeedbackWorker::Start() {
  thread_ = std::thread([this] { Run(); });
}

void FeedbackWorker::Notify() {
  std::lock_guard lock(mutex_);
  notified_ = true;
  wake_.notify_one();
}

void FeedbackWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

common::Result<FeedbackDrain> FeedbackWorker::DrainOnce(store::Store& store,
                                                        common::UnixSeconds now) {
  FeedbackDrain drain;
  LEADLINE_ASSIGN_OR_RETURN(
      const std::vector<store::FeedbackOutboxRow> rows,
      store.feedback().ClaimDueFeedback(owner_, now, now + options_.lease, options_.batch));
  if (rows.empty()) return drain;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> enabled,
                            store.feedback().LoadFeedbackRepositories());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                            store.LoadConnections());
  LEADLINE_ASSIGN_OR_RETURN(const auth::SecretBox box, OpenCheckedKey(store, paths_));
  // One reading of each repository for the batch: its rows render from the same analysis.
  std::map<std::int64_t, std::shared_ptr<const FeedbackBasis>> bases;
  const FeedbackPostContext context{store,
                                    connections,
                                    box,
                                    clients_,
                                    settings_,
                                    settings_.webhook_public_url(),
                                    paths_.snapshots_dir,
                                    &bases};
  for (const store::FeedbackOutboxRow& row : rows) {
    const auto repo = std::find_if(enabled.begin(), enabled.end(),
                                   [&](const auto& r) { return r.repo_id == row.repo_id; });
    const store::FeedbackMode mode =
        repo == enabled.end() ? store::FeedbackMode::kInsights : repo->mode;
    const common::UnixSeconds at = common::NowUnixSeconds();
    const auto posted = PostFeedback(context, row, mode, std::max(now, at));
    if (posted.ok()) {
      LEADLINE_RETURN_IF_ERROR(
          store.feedback().FinishFeedback(row.id, owner_, row.generation, at).status());
      ++(*posted == FeedbackPostOutcome::kPosted ? drain.posted : drain.skipped);
      continue;
    }
    ++drain.failed;
    const common::StatusCode code = posted.status().code();
    const bool hopeless = code == common::StatusCode::kPermissionDenied ||
                          code == common::StatusCode::kInvalidArgument;
    const std::string error = posted.status().message();
    if (log_) {
      log_("feedback for " + row.location + " #" + std::to_string(row.number) + ": " + error);
    }
    LEADLINE_RETURN_IF_ERROR(
        store.feedback()
            .FailFeedback(row.id, owner_, error,
                          at + FeedbackBackoff(options_.retry_after, row.attempts),
                          hopeless ? row.attempts + 1 : options_.most_attempts)
            .status());
  }
  return drain;
}

void FeedbackWorker::Run() {
  std::unique_ptr<store::Store> store;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(options_.poll),
                     [this] { return stopping_ || notified_; });
      if (stopping_) return;
      notified_ = false;
    }
    if (store == nullptr) {
      auto opened = store::OpenStore(paths_.store);
      if (!opened.ok()) {
        if (log_) log_("feedback: " + opened.status().message());
        continue;
      }
      store = std::move(opened).value();
    }
    // Drain what is due now, batch by batch, then wait for the next poll.
    for (;;) {
      auto drained = DrainOnce(*store, common::NowUnixSeconds());
      if (!drained.ok()) {
        if (log_) log_("feedback: " + drained.status().message());
        store.reset();  // open afresh next time
        break;
      }
      const std::int64_t done = drained->posted + drained->skipped + drained->failed;
      std::lock_guard lock(mutex_);
      if (done < static_cast<std::int64_t>(options_.batch) || stopping_) break;
    }
  }
}

}  // namespace leadline::app
