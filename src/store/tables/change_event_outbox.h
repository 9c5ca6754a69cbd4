// Deployments sent to incident tools as change events (PagerDuty's Events API v2), as the store
// keeps them: which services send (their routing key, sealed by the caller, and since when), and
// the durable outbox of events.
//
// The outbox holds at most one row per (connection, service, repository, deployment): enqueuing
// one already there does nothing, so a deployment is sent to a service once, whichever process
// or path found it, however often. A sender claims due rows for a lease (so an event is in flight
// at one process at a time), sends, then marks the row sent (kept: it is what makes a second
// enqueue a no-op). A failure keeps the row queued with its last error and the next try's time;
// after the most attempts, or at once when the tool refused the event, it stays failed, shown by
// `leadline services changes`. A claim whose holder died is taken over when its lease ends.
// Turning a service off drops its rows.
//
// Reached through Store::change_events(), on the store's connection; used from one thread at a
// time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace leadline::store {

struct ChangeEventService {
  std::int64_t connection_id = 0;
  std::string service_id;
  std::string sealed_routing_key;  // never shown
  std::string events_url;          // "https://events.pagerduty.com"
  common::UnixSeconds enabled_at = 0;
  // The service's events by state, the newest sent one's time (0: none yet) and the newest
  // error (of a failed event, or of one waiting for another try).
  std::int64_t sent = 0;
  std::int64_t queued = 0;
  std::int64_t failed = 0;
  common::UnixSeconds last_sent_at = 0;
  std::string last_error;
};

enum class ChangeEventState { kQueued, kSent, kFailed };
const char* ChangeEventStateName(ChangeEventState state);  // "queued", "sent", "failed"

struct ChangeEventRow {
  std::int64_t id = 0;
  std::int64_t connection_id = 0;
  std::string service_id;
  std::int64_t repo_id = 0;
  std::string location;  // the repository's
  std::string deployment_key;
  std::string body;  // the event as sent, without its routing key
  common::UnixSeconds queued_at = 0;
  common::UnixSeconds due_at = 0;
  ChangeEventState state = ChangeEventState::kQueued;
  std::int64_t attempts = 0;        // failed sends so far
  common::UnixSeconds sent_at = 0;  // 0 until sent
  std::string last_error;
};

// Bounds of what is stored, checked by every call (InvalidArgument past them).
inline constexpr std::size_t kMostChangeEventBodyBytes = 16 * 1024;
inline constexpr std::size_t kMostChangeEventKeyBytes = 512;
inline constexpr std::size_t kMostChangeEventErrorBytes = 1024;  // longer errors are cut
inline constexpr std::size_t kMostChangeEventClaim = 1000;

class ChangeEventOutbox {
 public:
  virtual ~ChangeEventOutbox() = default;

  // Turns sending on for a stored incident service (NotFound when it is not stored) with its
  // sealed routing key and events URL. Again: replaces them, keeps when it was turned on, and
  // gives the failed events another try (the fix for a refused event may be the new key).
  virtual common::Status EnableChangeEvents(std::int64_t connection_id,
                                            const std::string& service_id,
                                            const std::string& sealed_routing_key,
                                            const std::string& events_url,
                                            common::UnixSeconds now) = 0;
  // Turns it off, dropping the service's events; false when it was not on.
  virtual common::Result<bool> DisableChangeEvents(std::int64_t connection_id,
                                                   const std::string& service_id) = 0;
  // The services that send, with their events' counts, by connection and service id.
  virtual common::Result<std::vector<ChangeEventService>> LoadChangeEventServices() = 0;

  // Queues the event `body` for a deployment of a repository, due at once; false when the
  // deployment has a row already (queued, sent or failed) or the service does not send.
  virtual common::Result<bool> EnqueueChangeEvent(
      std::int64_t connection_id, const std::string& service_id, std::int64_t repo_id,
      const std::string& deployment_key, const std::string& body, common::UnixSeconds now) = 0;
  // Claims up to `limit` queued rows due at `now`, not held by another (or whose holder's lease
  // ended), for `owner` until `until`; returns them, soonest due first.
  virtual common::Result<std::vector<ChangeEventRow>> ClaimDueChangeEvents(
      const std::string& owner, common::UnixSeconds now, common::UnixSeconds until,
      std::size_t limit) = 0;
  // The event was sent: the row is kept as sent. False when the row was not `owner`'s.
  virtual common::Result<bool> FinishChangeEvent(std::int64_t id, const std::string& owner,
                                                 common::UnixSeconds now) = 0;
  // Sending failed with `error`: the row is released, due again at `retry_at`, unless this was
  // attempt `most_attempts`, after which it stays failed. False when the row was not `owner`'s.
  virtual common::Result<bool> FailChangeEvent(std::int64_t id, const std::string& owner,
                                               const std::string& error,
                                               common::UnixSeconds retry_at,
                                               std::int64_t most_attempts) = 0;
  // Rows not sent (queued and failed), oldest queued first, at most `limit`.
  virtual common::Result<std::vector<ChangeEventRow>> LoadUnsentChangeEvents(std::size_t limit) = 0;
};

}  // namespace leadline::store
