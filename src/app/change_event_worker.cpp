#include "app/change_event_worker.h"

#include <chrono>

#include "app/sealed_secrets.h"
#include "http/retrying_http_client.h"

namespace leadline::app {

ChangeEventWorker::ChangeEventWorker(config::Paths paths, config::Settings settings,
                                     http::HttpClient& transport, ChangeEventWorkerOptions options,
                                     std::function<void(const std::string&)> log)
    : paths_(std::move(paths)),
      settings_(std::move(settings)),
      transport_(transport),
      options_(std::move(options)),
      log_(std::move(log)) {}

ChangeEventWorker::~ChangeEventWorker() { Stop(); }

void ChangeEventWorker::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ChangeEventWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

common::Status ChangeEventWorker::Round(store::Store& store, const auth::SecretBox& box,
                                        bool scan) {
  // Where no service sends, a read, never a claim (a write).
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventService> sending,
                            store.change_events().LoadChangeEventServices());
  if (sending.empty()) return common::Status::Ok();
  const common::UnixSeconds now = common::NowUnixSeconds();
  if (scan) LEADLINE_RETURN_IF_ERROR(QueueDeploymentChanges(store, settings_, now).status());
  http::RetryingHttpClient client(transport_, http::InteractiveRetryPolicy(), 0);
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(
        const ChangeEventDrain drained,
        SendDueChangeEvents(store, box, client, options_.send, common::NowUnixSeconds(), log_));
    std::lock_guard lock(mutex_);
    if ((drained.sent + drained.failed < static_cast<std::int64_t>(options_.send.batch) &&
         !drained.cut_short) ||
        stopping_) {
      return common::Status::Ok();
    }
  }
}

void ChangeEventWorker::Run() {
  std::unique_ptr<store::Store> store;
  std::optional<auth::SecretBox> box;
  common::UnixSeconds next_scan = 0;
  for (bool first = true;; first = false) {
    if (!first) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(options_.poll), [this] { return stopping_; });
      if (stopping_) return;
    }
    if (store == nullptr) {
      auto opened = store::OpenStore(paths_.store);
      if (opened.ok()) {
        auto key = OpenCheckedKey(**opened, paths_);
        if (key.ok()) {
          box = *key;
          store = std::move(opened).value();
        } else if (log_) {
          log_("change events: " + key.status().message());
        }
      } else if (log_) {
        log_("change events: " + opened.status().message());
      }
      if (store == nullptr) continue;
    }
    const common::UnixSeconds now = common::NowUnixSeconds();
    const bool scan = now >= next_scan;
    if (scan) next_scan = now + options_.scan_every;
    const common::Status round = Round(*store, *box, scan);
    if (!round.ok()) {
      if (log_) log_("change events: " + round.message());
      store.reset();  // open afresh next time
    }
  }
}

}  // namespace leadline::app
