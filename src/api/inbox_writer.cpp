#include "api/inbox_writer.h"

#include <algorithm>
#include <exception>
#include <numeric>
#include <string>
#include <utility>

#include "store/store.h"

namespace leadline::api {

common::Result<bool> InboxWriter::Insert(const model::WebhookDelivery& delivery) {
  Pending mine{&delivery, false, std::nullopt};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  while (!mine.result) {
    if (mine.taken || committing_ >= most_committing_) {
      committed_.wait(lock);
      continue;
    }
    // A group may start and this delivery is still queued: this handler commits the queue,
    // oldest first.
    ++committing_;
    const std::size_t taken = std::min(queue_.size(), kMostPerGroup);
    std::vector<Pending*> group(queue_.begin(), queue_.begin() + static_cast<long>(taken));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(taken));
    for (Pending* pending : group) pending->taken = true;
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
    for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = std::move(results[i]);
    --committing_;
    ++groups_committed_;
    committed_.notify_all();
  }
  return std::move(*mine.result);
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
  std::vector<common::Result<bool>> results(group.size(), common::Result<bool>(false));
  bool one_failed = false;
  const common::Status committed = store_.With([&](store::Store& store) -> common::Status {
    store::Transaction transaction(store);
    LEADLINE_RETURN_IF_ERROR(transaction.Begin());
    for (const std::size_t i : order) {
      results[i] = store.InsertDelivery(*group[i]->delivery);
      // PostgreSQL aborts the whole transaction at a failed statement: the group is rolled back
      // (by `transaction`) and its deliveries are inserted one by one, so that a failure stays
      // its own delivery's on every engine.
      if (!results[i].ok()) {
        one_failed = true;
        return common::Status::Ok();
      }
    }
    if (common::Status done = transaction.Commit(); !done.ok()) {
      store.Rollback();
      return done;
    }
    return common::Status::Ok();
  });
  if (!committed.ok()) {
    results.assign(group.size(), common::Result<bool>(committed));
  } else if (one_failed) {
    return CommitEach(group);
  }
  return results;
}

std::vector<common::Result<bool>> InboxWriter::CommitEach(const std::vector<Pending*>& group) {
  std::vector<common::Result<bool>> results;
  const common::Status lent = store_.With([&](store::Store& store) {
    for (const Pending* pending : group)
      results.push_back(store.InsertDelivery(*pending->delivery));
    return common::Status::Ok();
  });
  if (!lent.ok()) results.assign(group.size(), common::Result<bool>(lent));
  return results;
}

}  // namespace leadline::api
