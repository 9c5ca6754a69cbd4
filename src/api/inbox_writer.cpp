#include "api/inbox_writer.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "store/store.h"

namespace leadline::api {

common::Result<bool> InboxWriter::Insert(const model::WebhookDelivery& delivery) {
  Pending mine{&delivery, std::nullopt};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  while (!mine.result) {
    if (committing_) {
      committed_.wait(lock);
      continue;
    }
    // No group is being committed: this handler commits the queue, oldest first.
    committing_ = true;
    const std::size_t taken = std::min(queue_.size(), kMostPerGroup);
    std::vector<Pending*> group(queue_.begin(), queue_.begin() + static_cast<long>(taken));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(taken));
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
    committing_ = false;
    ++groups_committed_;
    committed_.notify_all();
  }
  return std::move(*mine.result);
}

std::vector<common::Result<bool>> InboxWriter::CommitGroup(const std::vector<Pending*>& group) {
  return store_.With([&](store::Store& store) {
    std::vector<common::Result<bool>> results;
    results.reserve(group.size());
    if (group.size() == 1) {  // its own (autocommit) transaction
      results.push_back(store.InsertDelivery(*group.front()->delivery));
      return results;
    }
    const auto all_failed = [&](const common::Status& status) {
      results.assign(group.size(), common::Result<bool>(status));
      return results;
    };
    store::Transaction transaction(store);
    if (common::Status begun = transaction.Begin(); !begun.ok()) return all_failed(begun);
    // A delivery that fails is rolled back alone (InsertDelivery keeps each in a savepoint).
    for (const Pending* pending : group)
      results.push_back(store.InsertDelivery(*pending->delivery));
    if (common::Status done = transaction.Commit(); !done.ok()) {
      store.Rollback();
      return all_failed(done);
    }
    return results;
  });
}

}  // namespace leadline::api
