// The change event outbox (store/change_event_outbox.h) written once over the SQL seam, for both
// engines. Claims are one statement, so two servers never both hold a row: PostgreSQL's row locks
// skip what another is claiming; SQLite runs one writer at a time. Not thread-safe, like the
// connection it borrows (which must outlive it).
#pragma once

#include "store/sql/connection.h"
#include "store/tables/change_event_outbox.h"

namespace leadline::store::sql {

class ChangeEventRows final : public ChangeEventOutbox {
 public:
  explicit ChangeEventRows(Connection& db) : db_(db) {}

  Status EnableChangeEvents(std::int64_t connection_id, const std::string& service_id,
                            const std::string& sealed_routing_key, const std::string& events_url,
                            common::UnixSeconds now) override;
  Result<bool> DisableChangeEvents(std::int64_t connection_id,
                                   const std::string& service_id) override;
  Result<std::vector<ChangeEventService>> LoadChangeEventServices() override;
  Result<bool> EnqueueChangeEvent(std::int64_t connection_id, const std::string& service_id,
                                  std::int64_t repo_id, const std::string& deployment_key,
                                  const std::string& body, common::UnixSeconds now) override;
  Result<std::vector<ChangeEventRow>> ClaimDueChangeEvents(const std::string& owner,
                                                           common::UnixSeconds now,
                                                           common::UnixSeconds until,
                                                           std::size_t limit) override;
  Result<bool> FinishChangeEvent(std::int64_t id, const std::string& owner,
                                 common::UnixSeconds now) override;
  Result<bool> FailChangeEvent(std::int64_t id, const std::string& owner, const std::string& error,
                               common::UnixSeconds retry_at, std::int64_t most_attempts) override;
  Result<std::vector<ChangeEventRow>> LoadUnsentChangeEvents(std::size_t limit) override;

 private:
  Result<std::vector<ChangeEventRow>> ReadRows(Statement& stmt);

  Connection& db_;
};

}  // namespace leadline::store::sql
