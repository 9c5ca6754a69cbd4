#include "api/inbox_writer.h"

#include <algorithm>
#include <exception>
#include <numeric>
#include <string>
#include <utility>

#include "store/store.h"

namespace leadline::api {

common::Result<bool> InboxWriter::Insert(const model::WebhookDelivery& delivery) {
  Pending mine{&delivery, false, std::nullopt, {}, std::chrono::steady_clock::now()};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  Arrived(mine.queued_at);
  while (!mine.result) {
    if (mine.taken) {
      mine.wake.wait(lock);
      continue;
    }
    if (!MayStartGroup(std::chrono::steady_clock::now())) {
      if (queue_.front() == &mine && committing_ < most_committing_) {
        mine.wake.wait_until(lock, mine.queued_at + kLongestWait);  // first in line
      } else {
        mine.wake.wait(lock);
      }
      continue;
    }
    // A group may start and this delivery is still queued: this handler commits the queue,
    // oldest first.
    ++committing_;
    const std::size_t taken = std::min(queue_.size(), kMostPerGroup);
    std::vector<Pending*> group(queue_.begin(), queue_.begin() + static_cast<long>(taken));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(taken));
    for (Pending* pending : group) pending->taken = true;
    WakeTheNextLeader();  // more queued than one group takes, and another group may start
    lock.unlock();
    std::vector<common::Result<bool>> results;
    try {
      results = CommitGroup(group);
    } catch (const std::exception& e) {
      // Whatever happens, the group is answered and the next one can start.
      results.assign(group.size(), common::Result<bool>(common::Status::Internal(
                                       std::string("storing the deliveries failed: ") + e.what())));
    }
    lock.lock();
    for (std::size_t i = 0; i < group.size(); ++i) {
      group[i]->result = std::move(results[i]);
      if (group[i] != &mine) group[i]->wake.notify_one();
    }
    --committing_;
    ++groups_committed_;
    WakeTheNextLeader();
  }
  --in_writer_;
  return std::move(*mine.result);
}

void InboxWriter::Arrived(std::chrono::steady_clock::time_point now) {
  ++in_writer_;
  if (now - window_start_ >= kPeakWindow) {
    // The window before this one: the last window, unless none came in it.
    last_peak_ = now - window_start_ < 2 * kPeakWindow ? peak_ : 0;
    peak_ = 0;
    window_start_ = now;
  }
  peak_ = std::max(peak_, in_writer_);
}

bool InboxWriter::GroupMayStart(std::size_t queued, std::size_t committing,
                                std::size_t most_committing,
                                std::chrono::steady_clock::duration first_waited,
                                std::size_t recent_peak) {
  // Beside groups already committing, another starts only with a few deliveries per group
  // committing waiting, or once the first has waited about a commit's time (so that a group
  // slow to commit, as when it waits for another session's row, holds up nothing): a transaction
  // of one or two deliveries costs the database nearly what one of ten does
  // (docs/benchmarks.md). Waiting is for more deliveries to join the first: where lately the
  // writer never held more than two at once, none would (one commits, one waits), and the
  // waiting one had better commit beside it (with two clients a server would otherwise commit
  // their deliveries one after the other).
  return queued > 0 && committing < most_committing &&
         (queued >= committing * kQueuedPerExtraGroup || first_waited >= kLongestWait ||
          recent_peak <= kNoneCouldJoin);
}

bool InboxWriter::MayStartGroup(std::chrono::steady_clock::time_point now) const {
  return !queue_.empty() &&
         GroupMayStart(queue_.size(), committing_, most_committing_,
                       now - queue_.front()->queued_at, std::max(peak_, last_peak_));
}

void InboxWriter::WakeTheNextLeader() {
  // The first in line starts a group, or waits for one to, or for its time to run out.
  if (!queue_.empty() && committing_ < most_committing_) queue_.front()->wake.notify_one();
}

std::vector<common::Result<bool>> InboxWriter::CommitGroup(const std::vector<Pending*>& group) {
  if (group.size() == 1) return CommitEach(group);  // its own (autocommit) transaction
  // In delivery id order: groups committed at once on several connections then wait for each
  // other's rows of a delivery id they share in the same order, and never deadlock.
  std::vector<std::size_t> order(group.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return group[a]->delivery->delivery_id < group[b]->delivery->delivery_id;
  });
  std::vector<const model::WebhookDelivery*> ordered;
  ordered.reserve(group.size());
  for (const std::size_t i : order) ordered.push_back(group[i]->delivery);
  std::vector<common::Result<bool>> inserted;
  const common::Status lent = store_.With([&](store::Store& store) {
    inserted = store.webhook_inbox().InsertDeliveries(ordered);
    return common::Status::Ok();
  });
  if (!lent.ok()) return std::vector<common::Result<bool>>(group.size(), lent);
  std::vector<common::Result<bool>> results(group.size(), common::Result<bool>(false));
  for (std::size_t k = 0; k < order.size(); ++k) results[order[k]] = std::move(inserted[k]);
  return results;
}

std::vector<common::Result<bool>> InboxWriter::CommitEach(const std::vector<Pending*>& group) {
  std::vector<common::Result<bool>> results;
  const common::Status lent = store_.With([&](store::Store& store) {
    for (const Pending* pending : group)
      results.push_back(store.webhook_inbox().InsertDelivery(*pending->delivery));
    return common::Status::Ok();
  });
  if (!lent.ok()) results.assign(group.size(), common::Result<bool>(lent));
  return results;
}

}  // namespace leadline::api
