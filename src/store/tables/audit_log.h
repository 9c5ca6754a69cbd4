// The audit log: an entry for each write and sign-in, and counts of refused requests per minute,
// client address and reason. Reached through Store::audit(), on the store's connection; used from
// one thread at a time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/access.h"

namespace leadline::store {

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual common::Status AppendAudit(const std::vector<model::AuditEntry>& entries) = 0;
  virtual common::Result<std::vector<model::AuditEntry>> LoadAudit(std::size_t limit) = 0;
  // Adds each count to the one stored for its minute, client address and reason; the last
  // request's status, method and path replace the stored ones.
  virtual common::Status AddAuditRefusals(const std::vector<model::AuditRefusal>& refusals) = 0;
  // The newest `limit` refusal counts: the latest minute first, then the largest count.
  virtual common::Result<std::vector<model::AuditRefusal>> LoadAuditRefusals(std::size_t limit) = 0;
  // Deletes the audit entries made, and the refusal counts of minutes begun, before `before`;
  // returns how many rows. In short transactions, so that request threads wait for none long.
  virtual common::Result<std::int64_t> PruneAudit(common::UnixSeconds before) = 0;
};

}  // namespace leadline::store
