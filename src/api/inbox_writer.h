// Commits webhook deliveries to the inbox in groups. A handler that finds a group free to start
// commits everything queued meanwhile, its own delivery included, in one transaction, while the
// handlers whose deliveries it took wait for it; each delivery is still committed before its
// handler answers, so a crash after the 200 loses nothing. One transaction writes the pages the
// deliveries share (the inbox's and the bodies' last leaves, the repository index) once per group
// instead of once per delivery: under concurrent deliveries the intake writes fewer pages of
// log per delivery and takes the store's lock once per group. Groups commit at once on half the
// SharedStore's stores (rounded up): one on SQLite, which serialises writers; several on
// PostgreSQL, whose connections commit in parallel, each group's transaction sent in one round
// trip (store::WebhookInbox::InsertDeliveries). Half, not all: fewer and larger transactions cost
// the database less per delivery (three servers on one database took in a fifth more than with
// every store committing; docs/benchmarks.md), and the other stores stay free for the requests that
// read. For the same reason a group starts beside those committing only once four deliveries per
// committing group wait, or the first of them has waited 1 ms, or none could come to wait with
// it: lately the writer never held more than two deliveries at once (a server with two clients
// would otherwise commit their deliveries one after the other, and a database that flushes each
// commit shares a flush only between commits in flight together). With none committing, a delivery
// starts its group at once. A delivery that fails fails alone.
//
// Ownership: holds a reference to the server's SharedStore, which outlives it.
// Thread-safety: Insert() may be called from any number of threads at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

#include "api/shared_store.h"
#include "common/status.h"
#include "model/webhook.h"

namespace leadline::api {

class InboxWriter {
 public:
  explicit InboxWriter(SharedStore& store)
      : store_(store), most_committing_((store.size() + 1) / 2) {}

  // True when the delivery was stored, false when one with its id already was; an error when
  // it could not be committed (nothing of it is stored then).
  common::Result<bool> Insert(const model::WebhookDelivery& delivery);

  // How many transactions committed deliveries so far.
  std::size_t groups_committed() const {
    std::lock_guard lock(mutex_);
    return groups_committed_;
  }

  // How many deliveries one transaction takes at most.
  static constexpr std::size_t kMostPerGroup = 256;
  // With groups committing, another may start once this many deliveries per committing group
  // wait, or once the first waited this long.
  static constexpr std::size_t kQueuedPerExtraGroup = 4;
  static constexpr std::chrono::milliseconds kLongestWait{1};
  // Or at once, when lately the writer held at most this many deliveries at once ("lately":
  // this window and the one before it).
  static constexpr std::size_t kNoneCouldJoin = 2;
  static constexpr std::chrono::seconds kPeakWindow{1};
  // Whether a group may start with `queued` deliveries waiting, the first for `first_waited`,
  // `committing` groups committing of at most `most_committing`, where lately the writer held at
  // most `recent_peak` deliveries at once (waiting or committing).
  static bool GroupMayStart(std::size_t queued, std::size_t committing, std::size_t most_committing,
                            std::chrono::steady_clock::duration first_waited,
                            std::size_t recent_peak);

 private:
  struct Pending {
    const model::WebhookDelivery* delivery;
    bool taken = false;                          // in a group being committed (under mutex_)
    std::optional<common::Result<bool>> result;  // set, under mutex_, once committed
    // Its handler waits here, woken alone: when its result is set, or when it is first in the
    // queue and a group may start. (One shared condition woke every waiting handler at every
    // commit: with 64 threads, those wake-ups took about a third of the server's time.)
    std::condition_variable wake;
    std::chrono::steady_clock::time_point queued_at;
  };
  // Whether the queue's first handler may start a group now; under mutex_.
  bool MayStartGroup(std::chrono::steady_clock::time_point now) const;
  // Counts a delivery into the writer, and the most at once lately; under mutex_.
  void Arrived(std::chrono::steady_clock::time_point now);
  // Wakes the first queued handler while fewer groups than the most commit: it starts a group,
  // or waits until it may; under mutex_.
  void WakeTheNextLeader();
  // Inserts the group's deliveries in one transaction; one result per delivery, in order.
  std::vector<common::Result<bool>> CommitGroup(const std::vector<Pending*>& group);
  // Inserts each delivery in a transaction of its own.
  std::vector<common::Result<bool>> CommitEach(const std::vector<Pending*>& group);

  SharedStore& store_;
  const std::size_t most_committing_;  // groups committed at once at most
  mutable std::mutex mutex_;
  std::vector<Pending*> queue_;  // waiting for the next group
  std::size_t committing_ = 0;   // groups being committed
  std::size_t in_writer_ = 0;    // deliveries in Insert()
  std::size_t peak_ = 0;         // the most in Insert() at once in this window
  std::size_t last_peak_ = 0;    // and in the window before
  std::chrono::steady_clock::time_point window_start_;
  std::size_t groups_committed_ = 0;
};

}  // namespace leadline::api
