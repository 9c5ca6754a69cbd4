// The name a server's claims carry (webhook deliveries applied, the reconciliation job, feedback
// posts, change events), kept from one start to the next, so that a server killed mid-work takes
// its rows back as soon as it is started again rather than after their lease: the claims let an
// owner take its own rows at any time (store/sql/lease_claim.h, webhook_rows.cpp, the jobs').
//
// The name is a slot of the servers' folder (config::Paths::servers_dir): the file "slot-N",
// locked with flock(2) for as long as the process lives. Two live servers never hold one slot, so
// never one name, and the kernel lets go of a dead process's lock: the next server started on the
// folder takes the slot, and the rows its last holder left claimed. Each slot keeps a random id,
// made when it is first taken, so that servers with other data directories on the same store
// never share a name either. Another server takes a dead one's rows when their lease ends, as
// before.
//
// Owned by the server for its life; the slot is let go when the object is destroyed. Immutable
// once made; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace leadline::app {

inline constexpr int kMostServerSlots = 64;

class ServerSlot {
 public:
  // Takes the lowest free slot of `dir` (made when missing); `host` goes first in the name, to
  // tell servers apart in the store. FailedPrecondition when every slot is held; the folder's
  // errors otherwise.
  static common::Result<std::unique_ptr<ServerSlot>> Take(const std::string& dir,
                                                          const std::string& host);
  ~ServerSlot();
  ServerSlot(const ServerSlot&) = delete;
  ServerSlot& operator=(const ServerSlot&) = delete;

  // "<host>:slot-<N>:<id>", at most 100 bytes.
  const std::string& owner() const { return owner_; }
  int number() const { return number_; }

 private:
  ServerSlot(int fd, int number, std::string owner)
      : fd_(fd), number_(number), owner_(std::move(owner)) {}
  const int fd_;
  const int number_;
  const std::string owner_;
};

}  // namespace leadline::app
