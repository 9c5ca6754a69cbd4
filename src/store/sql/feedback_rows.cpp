#include "store/sql/feedback_rows.h"

#include "store/sql/lease_claim.h"

namespace leadline::store {

const char* FeedbackModeName(FeedbackMode mode) {
  return mode == FeedbackMode::kComment ? "comment" : "insights";
}

}  // namespace leadline::store

namespace leadline::store::sql {
namespace {

constexpr const char* kRowColumns =
    "SELECT o.id, o.repo_id, r.location, o.number, o.reason, o.queued_at, o.due_at, "
    "o.generation, o.attempts, o.failed, o.last_error FROM feedback_outbox o JOIN repositories r "
    "ON r.id = o.repo_id ";

Status CheckIds(std::int64_t repo_id, std::int64_t number) {
  if (repo_id <= 0) return Status::InvalidArgument("feedback needs a repository id");
  if (number <= 0) {
    return Status::InvalidArgument("a pull request's number is positive, not " +
                                   std::to_string(number));
  }
  return Status::Ok();
}

Status CheckOwner(const std::string& owner) {
  if (owner.empty() || owner.size() > 200) {
    return Status::InvalidArgument("a feedback claim needs an owner of 1 to 200 bytes");
  }
  return Status::Ok();
}

// At most kMostFeedbackErrorBytes, cut at a UTF-8 character's start.
std::string CutError(const std::string& error) {
  if (error.size() <= kMostFeedbackErrorBytes) return error;
  std::size_t end = kMostFeedbackErrorBytes;
  while (end > 0 && (static_cast<unsigned char>(error[end]) & 0xC0) == 0x80) --end;
  return error.substr(0, end);
}

}  // namespace

Status FeedbackRows::EnableFeedback(std::int64_t repo_id, FeedbackMode mode,
                                    common::UnixSeconds now) {
  if (repo_id <= 0) return Status::InvalidArgument("feedback needs a repository id");
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare("INSERT INTO feedback_repositories (repo_id, mode, enabled_at) "
                             "VALUES (?, ?, ?) ON CONFLICT (repo_id) DO UPDATE SET mode = "
                             "excluded.mode, refused_at = NULL, refused_reason = ''"));
  const std::string_view name = FeedbackModeName(mode);
  return stmt.Bind(1, repo_id).Bind(2, name).Bind(3, now).Run();
}

Status FeedbackRows::DisableFeedback(std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto rows,
                            db_.Prepare("DELETE FROM feedback_outbox WHERE repo_id = ?"));
  LEADLINE_RETURN_IF_ERROR(rows.Bind(1, repo_id).Run());
  LEADLINE_ASSIGN_OR_RETURN(auto repo,
                            db_.Prepare("DELETE FROM feedback_repositories WHERE repo_id = ?"));
  return repo.Bind(1, repo_id).Run();
}

Result<std::vector<FeedbackRepository>> FeedbackRows::LoadFeedbackRepositories() {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("SELECT f.repo_id, r.location, f.mode, f.enabled_at, f.last_posted_at, "
                  "f.posts, f.refused_at, f.refused_reason, f.dropped FROM feedback_repositories "
                  "f JOIN repositories r ON r.id = f.repo_id ORDER BY r.location, f.repo_id"));
  std::vector<FeedbackRepository> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    FeedbackRepository repo;
    repo.repo_id = stmt.ColumnInt(0);
    repo.location = std::string(stmt.ColumnText(1));
    repo.mode = stmt.ColumnText(2) == "comment" ? FeedbackMode::kComment : FeedbackMode::kInsights;
    repo.enabled_at = stmt.ColumnInt(3);
    if (!stmt.ColumnIsNull(4)) repo.last_posted_at = stmt.ColumnInt(4);
    repo.posts = stmt.ColumnInt(5);
    if (!stmt.ColumnIsNull(6)) repo.refused_at = stmt.ColumnInt(6);
    repo.refused_reason = std::string(stmt.ColumnText(7));
    repo.dropped = stmt.ColumnInt(8);
    out.push_back(std::move(repo));
  }
  return out;
}

Result<bool> FeedbackRows::EnqueueFeedback(std::int64_t repo_id, std::int64_t number,
                                           const std::string& reason, common::UnixSeconds now,
                                           common::UnixSeconds due_at) {
  LEADLINE_RETURN_IF_ERROR(CheckIds(repo_id, number));
  if (reason.empty() || reason.size() > kMostFeedbackReasonBytes) {
    return Status::InvalidArgument("a feedback trigger's reason is 1 to " +
                                   std::to_string(kMostFeedbackReasonBytes) + " bytes");
  }
  if (now <= 0 || due_at < now) {
    return Status::InvalidArgument("a feedback post is due from now on");
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto enabled, db_.PrepareCached("SELECT 1 FROM feedback_repositories WHERE repo_id = ? "
                                      "AND refused_at IS NULL"));
  enabled.Bind(1, repo_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool on, enabled.Step());
  enabled.Reset();
  if (!on) return false;
  // A failed row is revived: due at the new time, attempts counted afresh. A pending one keeps
  // the later of its due time (a backoff, or an earlier trigger's debounce) and the new one.
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.PrepareCached(
          "INSERT INTO feedback_outbox (repo_id, number, reason, queued_at, due_at) VALUES (?, "
          "?, ?, ?, ?) ON CONFLICT (repo_id, number) DO UPDATE SET reason = excluded.reason, "
          "queued_at = CASE WHEN feedback_outbox.failed THEN excluded.queued_at ELSE "
          "feedback_outbox.queued_at END, "
          "due_at = CASE WHEN feedback_outbox.failed OR excluded.due_at > feedback_outbox.due_at "
          "THEN excluded.due_at ELSE feedback_outbox.due_at END, generation = "
          "feedback_outbox.generation + 1, attempts = CASE WHEN feedback_outbox.failed THEN 0 "
          "ELSE feedback_outbox.attempts END, failed = FALSE"));
  LEADLINE_RETURN_IF_ERROR(
      stmt.Bind(1, repo_id).Bind(2, number).Bind(3, reason).Bind(4, now).Bind(5, due_at).Run());
  return true;
}

Result<std::vector<FeedbackOutboxRow>> FeedbackRows::ReadRows(Statement& stmt) {
  std::vector<FeedbackOutboxRow> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    FeedbackOutboxRow r;
    r.id = stmt.ColumnInt(0);
    r.repo_id = stmt.ColumnInt(1);
    r.location = std::string(stmt.ColumnText(2));
    r.number = stmt.ColumnInt(3);
    r.reason = std::string(stmt.ColumnText(4));
    r.queued_at = stmt.ColumnInt(5);
    r.due_at = stmt.ColumnInt(6);
    r.generation = stmt.ColumnInt(7);
    r.attempts = stmt.ColumnInt(8);
    r.failed = stmt.ColumnInt(9) != 0;
    r.last_error = std::string(stmt.ColumnText(10));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<FeedbackOutboxRow>> FeedbackRows::ClaimDueFeedback(const std::string& owner,
                                                                      common::UnixSeconds now,
                                                                      common::UnixSeconds until,
                                                                      std::size_t limit) {
  LEADLINE_RETURN_IF_ERROR(CheckOwner(owner));
  if (limit == 0 || limit > kMostFeedbackClaim) {
    return Status::InvalidArgument("a feedback claim takes 1 to " +
                                   std::to_string(kMostFeedbackClaim) + " rows");
  }
  if (until <= now) return Status::InvalidArgument("a feedback claim's lease ends after now");
  // Parameters: the owner, the lease's end, now, the limit.
  constexpr const char* kFree =
      "SELECT id FROM feedback_outbox WHERE NOT failed AND due_at <= ?3 AND (claimed_until IS "
      "NULL OR claimed_until < ?3 OR claimed_by = ?1) AND repo_id NOT IN (SELECT repo_id FROM "
      "feedback_repositories WHERE refused_at IS NOT NULL) ORDER BY due_at, id LIMIT ?4";
  const auto most = static_cast<std::int64_t>(limit);
  LEADLINE_RETURN_IF_ERROR(ClaimLeases(db_, "feedback_outbox", kFree, owner, now, until, most));
  LEADLINE_ASSIGN_OR_RETURN(
      auto held, db_.PrepareCached(std::string(kRowColumns) +
                                   "WHERE o.claimed_by = ? AND o.claimed_until = ? AND NOT "
                                   "o.failed ORDER BY o.due_at, o.id LIMIT ?"));
  held.Bind(1, owner).Bind(2, until).Bind(3, most);
  return ReadRows(held);
}

Result<bool> FeedbackRows::FinishFeedback(std::int64_t id, const std::string& owner,
                                          std::int64_t generation, common::UnixSeconds now) {
  LEADLINE_RETURN_IF_ERROR(CheckOwner(owner));
  LEADLINE_ASSIGN_OR_RETURN(
      auto held,
      db_.PrepareCached("SELECT repo_id FROM feedback_outbox WHERE id = ? AND claimed_by = ?"));
  held.Bind(1, id).Bind(2, owner);
  LEADLINE_ASSIGN_OR_RETURN(const bool mine, held.Step());
  if (!mine) return false;
  const std::int64_t repo_id = held.ColumnInt(0);
  held.Reset();
  LEADLINE_ASSIGN_OR_RETURN(
      auto done, db_.PrepareCached("DELETE FROM feedback_outbox WHERE id = ? AND claimed_by = ? "
                                   "AND generation = ?"));
  LEADLINE_RETURN_IF_ERROR(done.Bind(1, id).Bind(2, owner).Bind(3, generation).Run());
  if (db_.Changes() == 0) {
    // A trigger came during the post: post again, from no failures.
    LEADLINE_ASSIGN_OR_RETURN(
        auto again,
        db_.PrepareCached("UPDATE feedback_outbox SET claimed_by = NULL, claimed_until = NULL, "
                          "attempts = 0, last_error = '' WHERE id = ? AND claimed_by = ?"));
    LEADLINE_RETURN_IF_ERROR(again.Bind(1, id).Bind(2, owner).Run());
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto counted, db_.PrepareCached("UPDATE feedback_repositories SET last_posted_at = ?, posts "
                                      "= posts + 1 WHERE repo_id = ?"));
  LEADLINE_RETURN_IF_ERROR(counted.Bind(1, now).Bind(2, repo_id).Run());
  return true;
}

Result<bool> FeedbackRows::FailFeedback(std::int64_t id, const std::string& owner,
                                        const std::string& error, common::UnixSeconds retry_at,
                                        std::int64_t most_attempts) {
  LEADLINE_RETURN_IF_ERROR(CheckOwner(owner));
  if (most_attempts < 1) return Status::InvalidArgument("feedback gets at least one attempt");
  const std::string cut = CutError(error);
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.PrepareCached("UPDATE feedback_outbox SET attempts = attempts + 1, last_error = ?, "
                        "due_at = ?, failed = (attempts + 1 >= ?), claimed_by = NULL, "
                        "claimed_until = NULL WHERE id = ? AND claimed_by = ?"));
  LEADLINE_RETURN_IF_ERROR(
      stmt.Bind(1, cut).Bind(2, retry_at).Bind(3, most_attempts).Bind(4, id).Bind(5, owner).Run());
  return db_.Changes() == 1;
}

Result<bool> FeedbackRows::RefuseFeedback(std::int64_t repo_id, const std::string& reason,
                                          common::UnixSeconds now) {
  if (repo_id <= 0) return Status::InvalidArgument("feedback needs a repository id");
  if (reason.empty()) return Status::InvalidArgument("a refusal of feedback needs its reason");
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db_.PrepareCached("UPDATE feedback_repositories SET refused_at = ?, "
                                              "refused_reason = ? WHERE repo_id = ?"));
  const std::string cut = CutError(reason);
  LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, now).Bind(2, cut).Bind(3, repo_id).Run());
  return db_.Changes() == 1;
}

Result<std::int64_t> FeedbackRows::DropStaleFeedback(common::UnixSeconds before) {
  // Counted first, then deleted: the caller's transaction (or SQLite's one writer) keeps the two
  // in step.
  LEADLINE_ASSIGN_OR_RETURN(
      auto count,
      db_.PrepareCached("UPDATE feedback_repositories SET dropped = dropped + (SELECT COUNT(*) "
                        "FROM feedback_outbox o WHERE o.repo_id = feedback_repositories.repo_id "
                        "AND o.queued_at < ?1) WHERE repo_id IN (SELECT repo_id FROM "
                        "feedback_outbox WHERE queued_at < ?1)"));
  LEADLINE_RETURN_IF_ERROR(count.Bind(1, before).Run());
  LEADLINE_ASSIGN_OR_RETURN(auto drop,
                            db_.PrepareCached("DELETE FROM feedback_outbox WHERE queued_at < ?"));
  LEADLINE_RETURN_IF_ERROR(drop.Bind(1, before).Run());
  return static_cast<std::int64_t>(db_.Changes());
}

Result<std::vector<FeedbackOutboxRow>> FeedbackRows::LoadFeedbackOutbox(std::size_t limit) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare(std::string(kRowColumns) + "ORDER BY o.queued_at, o.id LIMIT ?"));
  stmt.Bind(1, static_cast<std::int64_t>(limit));
  return ReadRows(stmt);
}

}  // namespace leadline::store::sql
