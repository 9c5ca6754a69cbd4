#include "app/audit_keeper.h"

#include <chrono>
#include <cstdio>

namespace leadline::app {
namespace {

constexpr std::chrono::seconds kWriteEvery{1};
constexpr common::Seconds kPruneEvery = common::kHour;

}  // namespace

AuditKeeper::AuditKeeper(config::Paths paths, api::RefusalCounts& counts, common::Seconds retention)
    : paths_(std::move(paths)), counts_(counts), retention_(retention) {}

AuditKeeper::~AuditKeeper() { Stop(); }

void AuditKeeper::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AuditKeeper::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  // What requests still in flight counted after the thread's last write.
  Write();
}

void AuditKeeper::Run() {
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kWriteEvery, [&] { return stopping_; });
      stopping = stopping_;
    }
    if (stopping) return;  // Stop() writes the rest
    Write();
    Prune();
  }
}

bool AuditKeeper::OpenStore() {
  if (store_) return true;
  auto opened = store::OpenStore(paths_.store);
  if (!opened.ok()) {
    std::fprintf(stderr, "leadline: error: keeping the audit log: %s\n",
                 opened.status().message().c_str());
    return false;
  }
  store_ = std::move(opened).value();
  return true;
}

void AuditKeeper::Write() {
  const std::vector<model::AuditRefusal> counts = counts_.Take();
  if (counts.empty() || !OpenStore()) return;
  auto transaction = store_->Begin();
  common::Status written = transaction.status();
  if (written.ok()) written = store_->audit().AddAuditRefusals(counts);
  if (written.ok()) written = transaction->Commit();
  if (!written.ok()) {
    std::fprintf(stderr, "leadline: error: writing %zu refusal counts to the audit log: %s\n",
                 counts.size(), written.message().c_str());
  }
}

void AuditKeeper::Prune() {
  const common::UnixSeconds now = common::NowUnixSeconds();
  if (now < pruned_at_ + kPruneEvery || !OpenStore()) return;
  pruned_at_ = now;
  auto pruned = store_->audit().PruneAudit(now - retention_);
  if (!pruned.ok()) {
    std::fprintf(stderr, "leadline: error: pruning the audit log: %s\n",
                 pruned.status().message().c_str());
  }
}

}  // namespace leadline::app
