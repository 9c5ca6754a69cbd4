// The feedback outbox (store/feedback_outbox.h) written once over the SQL seam, for both engines.
// Claims are one statement, so two servers never both hold a row: PostgreSQL's row locks skip
// what another is claiming; SQLite runs one writer at a time. Not thread-safe, like the
// connection it borrows (which must outlive it).
#pragma once

#include "store/sql/connection.h"
#include "store/tables/feedback_outbox.h"

namespace leadline::store::sql {

class FeedbackRows final : public FeedbackOutbox {
 public:
  explicit FeedbackRows(Connection& db) : db_(db) {}

  Status EnableFeedback(std::int64_t repo_id, FeedbackMode mode, common::UnixSeconds now) override;
  Status DisableFeedback(std::int64_t repo_id) override;
  Result<std::vector<FeedbackRepository>> LoadFeedbackRepositories() override;
  Result<bool> EnqueueFeedback(std::int64_t repo_id, std::int64_t number, const std::string& reason,
                               common::UnixSeconds now, common::UnixSeconds due_at) override;
  Result<std::vector<FeedbackOutboxRow>> ClaimDueFeedback(const std::string& owner,
                                                          common::UnixSeconds now,
                                                          common::UnixSeconds until,
                                                          std::size_t limit) override;
  Result<bool> FinishFeedback(std::int64_t id, const std::string& owner, std::int64_t generation,
                              common::UnixSeconds now) override;
  Result<bool> FailFeedback(std::int64_t id, const std::string& owner, const std::string& error,
                            common::UnixSeconds retry_at, std::int64_t most_attempts) override;
  Result<bool> RefuseFeedback(std::int64_t repo_id, const std::string& reason,
                              common::UnixSeconds now) override;
  Result<std::int64_t> DropStaleFeedback(common::UnixSeconds before) override;
  Result<std::vector<FeedbackOutboxRow>> LoadFeedbackOutbox(std::size_t limit) override;

 private:
  Result<std::vector<FeedbackOutboxRow>> ReadRows(Statement& stmt);

  Connection& db_;
};

}  // namespace leadline::store::sql
