#include "app/reconciler.h"

#include <chrono>
#include <cstdio>

#include "store/store.h"

namespace leadline::app {

Reconciler::Reconciler(config::Paths paths, std::string owner, common::Seconds interval,
                       common::Seconds lease, SyncAll sync,
                       std::function<void(const ReconcileRun&)> done,
                       std::function<void(const store::JobState&, common::Seconds)> observe)
    : paths_(std::move(paths)),
      owner_(std::move(owner)),
      interval_(interval),
      lease_(lease),
      sync_(std::move(sync)),
      done_(std::move(done)),
      observe_(std::move(observe)) {}

Reconciler::~Reconciler() { Stop(); }

void Reconciler::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Reconciler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Reconciler::Run() {
  const common::UnixSeconds started = common::NowUnixSeconds();  // the server's start counts
  std::unique_ptr<store::Store> store;
  std::string last_error;  // reported once, not every second
  const auto report = [&](const common::Status& status) {
    if (status.ok() || status.message() == last_error) return;
    last_error = status.message();
    std::fprintf(stderr, "leadline: error: scheduling the reconciliation sync: %s\n",
                 last_error.c_str());
  };
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
    }
    if (!store) {
      auto opened = store::OpenStore(paths_.store);
      if (!opened.ok()) {
        report(opened.status());
        continue;
      }
      store = std::move(opened).value();
    }
    store::Coordination& jobs = store->coordination();
    const common::UnixSeconds now = common::NowUnixSeconds();
    // A read each second; a claim (a write) only when the job looks due and free.
    auto seen = jobs.LoadJob(kJobName);
    if (!seen.ok()) {
      report(seen.status());
      continue;
    }
    const bool looks_due =
        !seen->has_value() ||
        ((*seen)->due_at <= now && ((*seen)->claimed_by.empty() || (*seen)->claimed_until < now));
    auto claimed = looks_due
                       ? jobs.ClaimDueJob(kJobName, owner_, now, now + lease_, started + interval_)
                       : common::Result<bool>(false);
    if (!claimed.ok()) {
      report(claimed.status());
      continue;
    }
    if (*claimed) {
      ReconcileRun run = sync_([&] {
        report(jobs.RenewJob(kJobName, owner_, common::NowUnixSeconds() + lease_).status());
      });
      report(jobs.FinishJob(kJobName, owner_, run.started_at, run.finished_at, run.status,
                            run.finished_at + interval_));
      if (done_) done_(run);
    }
    auto job = *claimed ? jobs.LoadJob(kJobName) : std::move(seen);
    if (!job.ok()) {
      report(job.status());
      continue;
    }
    if (!job->has_value()) continue;  // made by the first claim, a second from now
    last_error.clear();
    if (observe_) {
      const common::UnixSeconds last_good =
          (*job)->last_good_at != 0 ? (*job)->last_good_at : started;
      observe_(**job, common::NowUnixSeconds() - last_good);
    }
  }
}

}  // namespace leadline::app
