#include "app/feedback_worker.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "app/connections.h"
#include "app/feedback_poster.h"
#include "app/feedback_settings.h"
#include "app/sealed_secrets.h"

namespace leadline::app {

http::RetryPolicy FeedbackRetryPolicy() {
  http::RetryPolicy policy;
  policy.max_attempts = 1;  // the 429 or 5xx answer comes back, with its Retry-After
  return policy;
}

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

bool MayPostInLease(common::UnixSeconds claimed_at, common::Seconds lease, common::UnixSeconds now,
                    bool first_of_batch) {
  return first_of_batch || now < claimed_at + lease / 2;
}

common::Result<FeedbackDrain> FeedbackWorker::DrainOnce(store::Store& store,
                                                        common::UnixSeconds now) {
  FeedbackDrain drain;
  if (options_.max_age > 0 && now >= next_age_check_) {
    next_age_check_ = now + common::kMinute;
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
    LEADLINE_ASSIGN_OR_RETURN(drain.dropped,
                              store.feedback().DropStaleFeedback(now - options_.max_age));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    if (drain.dropped > 0) Count("dropped", drain.dropped);
  }
  LEADLINE_ASSIGN_OR_RETURN(
      const std::vector<store::FeedbackOutboxRow> rows,
      store.feedback().ClaimDueFeedback(owner_, now, now + options_.lease, options_.batch));
  if (rows.empty()) return drain;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> enabled,
                            store.feedback().LoadFeedbackRepositories());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                            store.connections().LoadConnections());
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
  std::set<std::int64_t> refused;        // repositories refused in this batch: their rows wait
  std::vector<model::AuditEntry> audit;  // written once for the batch: one commit, not one a post
  for (const store::FeedbackOutboxRow& row : rows) {
    const auto repo = std::find_if(enabled.begin(), enabled.end(),
                                   [&](const auto& r) { return r.repo_id == row.repo_id; });
    // leadline.toml's [feedback] wins over the stored mode.
    const std::string* configured = settings_.FeedbackOverride(row.location);
    const store::FeedbackMode mode =
        configured != nullptr && *configured != "off"
            ? (*configured == "comment" ? store::FeedbackMode::kComment
                                        : store::FeedbackMode::kInsights)
            : (repo == enabled.end() ? store::FeedbackMode::kInsights : repo->mode);
    const common::UnixSeconds at = std::max(now, common::NowUnixSeconds());
    // Left as they are: no claim takes them while the refusal stands, and once feedback is
    // enabled again they are taken when this lease ends.
    if (refused.contains(row.repo_id)) continue;
    // A host slow enough to keep a batch past its lease would otherwise let another server take
    // a late row and post it too. The rows left stay claimed by this server, whose next claim
    // takes them back at once (store/sql/lease_claim.h).
    if (!MayPostInLease(now, options_.lease, common::NowUnixSeconds(), &row == &rows.front())) {
      drain.cut_short = true;
      break;
    }
    FeedbackPostTrace trace;
    const auto posted = PostFeedback(context, row, mode, at, &trace);
    const std::string path =
        row.location + "#" + std::to_string(row.number) + " " + store::FeedbackModeName(mode);
    if (posted.ok()) {
      LEADLINE_RETURN_IF_ERROR(
          store.feedback().FinishFeedback(row.id, owner_, row.generation, at).status());
      const bool made = *posted == FeedbackPostOutcome::kPosted;
      ++(made ? drain.posted : drain.skipped);
      Count(made ? "posted" : "skipped", 1);
      if (made) audit.push_back({at, "feedback", "POST", path, trace.status ? trace.status : 200});
      continue;
    }
    ++drain.failed;
    const common::StatusCode code = posted.status().code();
    const bool denied = code == common::StatusCode::kPermissionDenied;
    const bool hopeless = denied || code == common::StatusCode::kInvalidArgument;
    const std::string error = posted.status().message();
    if (log_) {
      log_("feedback for " + row.location + " #" + std::to_string(row.number) + ": " + error +
           (denied ? " (feedback is now off for " + row.location + ")" : ""));
    }
    // The host's Retry-After, when it asks for longer than the backoff.
    const common::Seconds delay =
        std::max(FeedbackBackoff(options_.retry_after, row.attempts), trace.retry_after);
    LEADLINE_RETURN_IF_ERROR(store.feedback()
                                 .FailFeedback(row.id, owner_, error, at + delay,
                                               hopeless ? row.attempts + 1 : options_.most_attempts)
                                 .status());
    if (denied) {
      ++drain.refused;
      refused.insert(row.repo_id);
      LEADLINE_RETURN_IF_ERROR(store.feedback().RefuseFeedback(row.repo_id, error, at).status());
    }
    Count(denied ? "refused" : "failed", 1);
    // No status: the host never answered (or the post failed before asking it).
    audit.push_back({at, "feedback", "POST", path, trace.status != 0 ? trace.status : 502});
  }
  if (!audit.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
    LEADLINE_RETURN_IF_ERROR(store.audit().AppendAudit(audit));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  }
  return drain;
}

void FeedbackWorker::Count(const std::string& outcome, std::int64_t count) {
  if (options_.counted) options_.counted(outcome, count);
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
      if (!overrides_applied_) {
        // Once per start: leadline.toml is read when the server starts.
        auto applied = ApplyFeedbackOverrides(*store, settings_, common::NowUnixSeconds());
        if (!applied.ok()) {
          if (log_) log_("feedback: leadline.toml's [feedback]: " + applied.status().message());
          store.reset();
          continue;
        }
        overrides_applied_ = true;
        for (const std::string& line : *applied) std::fprintf(stderr, "%s\n", line.c_str());
      }
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
      if ((done < static_cast<std::int64_t>(options_.batch) && !drained->cut_short) || stopping_) {
        break;
      }
    }
  }
}

}  // namespace leadline::app
