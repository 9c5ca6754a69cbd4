#include "store/sql/session_rows.h"

#include "store/sql/line_list.h"

namespace leadline::store::sql {
namespace {

constexpr const char* kSessionColumns =
    "id, secret_hash, issuer, subject, name, claim_values, created_at, last_seen_at, expires_at, "
    "revoked_at";

model::PersonSession SessionOf(const Statement& stmt) {
  model::PersonSession session;
  session.id = stmt.ColumnInt(0);
  session.secret_hash = std::string(stmt.ColumnText(1));
  session.issuer = std::string(stmt.ColumnText(2));
  session.subject = std::string(stmt.ColumnText(3));
  session.name = std::string(stmt.ColumnText(4));
  session.claim_values = SplitLines(stmt.ColumnText(5));
  session.created_at = stmt.ColumnInt(6);
  session.last_seen_at = stmt.ColumnInt(7);
  session.expires_at = stmt.ColumnInt(8);
  if (!stmt.ColumnIsNull(9)) session.revoked_at = stmt.ColumnInt(9);
  return session;
}

}  // namespace

Status SaveSignInAttempt(Connection& db, const model::SignInAttempt& attempt,
                         common::UnixSeconds expired_before, std::int64_t most) {
  LEADLINE_ASSIGN_OR_RETURN(auto prune,
                            db.Prepare("DELETE FROM sign_in_attempts WHERE created_at < ?"));
  LEADLINE_RETURN_IF_ERROR(prune.Bind(1, expired_before).Run());
  LEADLINE_ASSIGN_OR_RETURN(auto count, db.Prepare("SELECT count(*) FROM sign_in_attempts"));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, count.Step());
  if (row && count.ColumnInt(0) >= most) {
    return Status::Unavailable("too many sign-ins are under way; try again in a few minutes");
  }
  count.Reset();
  LEADLINE_ASSIGN_OR_RETURN(
      auto insert, db.Prepare("INSERT INTO sign_in_attempts (state_hash, nonce, code_verifier, "
                              "return_to, created_at) VALUES (?, ?, ?, ?, ?)"));
  return insert.Bind(1, attempt.state_hash)
      .Bind(2, attempt.nonce)
      .Bind(3, attempt.code_verifier)
      .Bind(4, attempt.return_to)
      .Bind(5, attempt.created_at)
      .Run();
}

Result<std::optional<model::SignInAttempt>> TakeSignInAttempt(Connection& db,
                                                              const std::string& state_hash,
                                                              common::UnixSeconds expired_before) {
  // DELETE ... RETURNING: of two callbacks with the same state, one gets the row.
  LEADLINE_ASSIGN_OR_RETURN(
      auto take, db.Prepare("DELETE FROM sign_in_attempts WHERE state_hash = ? RETURNING "
                            "state_hash, nonce, code_verifier, return_to, created_at"));
  take.Bind(1, state_hash);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, take.Step());
  if (!row) return std::optional<model::SignInAttempt>();
  model::SignInAttempt attempt{std::string(take.ColumnText(0)), std::string(take.ColumnText(1)),
                               std::string(take.ColumnText(2)), std::string(take.ColumnText(3)),
                               take.ColumnInt(4)};
  LEADLINE_RETURN_IF_ERROR(take.Step().status());  // RETURNING finishes on the next step
  if (attempt.created_at < expired_before) return std::optional<model::SignInAttempt>();
  return std::optional<model::SignInAttempt>(std::move(attempt));
}

Result<std::int64_t> InsertSession(Connection& db, const model::PersonSession& session) {
  constexpr common::UnixSeconds kKeptAfterEnd = 24 * 60 * 60;
  LEADLINE_ASSIGN_OR_RETURN(
      auto prune, db.Prepare("DELETE FROM person_sessions WHERE expires_at < ? OR revoked_at < ?"));
  const common::UnixSeconds ended_before = session.created_at - kKeptAfterEnd;
  LEADLINE_RETURN_IF_ERROR(prune.Bind(1, ended_before).Bind(2, ended_before).Run());
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO person_sessions (secret_hash, issuer, subject, name, claim_values, "
                 "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id"));
  const std::string claim_values = JoinLines(session.claim_values);  // outlives the run
  stmt.Bind(1, session.secret_hash)
      .Bind(2, session.issuer)
      .Bind(3, session.subject)
      .Bind(4, session.name)
      .Bind(5, claim_values)
      .Bind(6, session.created_at)
      .Bind(7, session.last_seen_at)
      .Bind(8, session.expires_at);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return Status::DatabaseError("inserting a session returned no id");
  const std::int64_t id = stmt.ColumnInt(0);
  LEADLINE_RETURN_IF_ERROR(stmt.Step().status());
  return id;
}

Result<std::optional<model::PersonSession>> LoadSession(Connection& db,
                                                        const std::string& secret_hash) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string("SELECT ") + kSessionColumns +
                                                  " FROM person_sessions WHERE secret_hash = ?"));
  stmt.Bind(1, secret_hash);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<model::PersonSession>();
  return std::optional<model::PersonSession>(SessionOf(stmt));
}

Status TouchSession(Connection& db, std::int64_t id, common::UnixSeconds at) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE person_sessions SET last_seen_at = ? WHERE id = ?"));
  return stmt.Bind(1, at).Bind(2, id).Run();
}

Result<std::vector<model::PersonSession>> LoadSessions(Connection& db, common::UnixSeconds now) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare(std::string("SELECT ") + kSessionColumns +
                                       " FROM person_sessions WHERE expires_at > ? ORDER BY id"));
  stmt.Bind(1, now);
  std::vector<model::PersonSession> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    out.push_back(SessionOf(stmt));
  }
  return out;
}

Result<std::int64_t> RevokeSessions(Connection& db, std::optional<std::int64_t> id,
                                    const std::string& person, common::UnixSeconds at) {
  if (id) {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db.Prepare("UPDATE person_sessions SET revoked_at = ? WHERE id = ? AND "
                              "revoked_at IS NULL"));
    LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, at).Bind(2, *id).Run());
    return db.Changes();
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE person_sessions SET revoked_at = ? WHERE (name = ? OR "
                            "subject = ?) AND revoked_at IS NULL"));
  LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, at).Bind(2, person).Bind(3, person).Run());
  return db.Changes();
}

}  // namespace leadline::store::sql
