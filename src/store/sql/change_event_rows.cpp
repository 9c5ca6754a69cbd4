#include "store/sql/change_event_rows.h"

#include "store/sql/lease_claim.h"

namespace leadline::store {

const char* ChangeEventStateName(ChangeEventState state) {
  switch (state) {
    case ChangeEventState::kSent:
      return "sent";
    case ChangeEventState::kFailed:
      return "failed";
    case ChangeEventState::kQueued:
      break;
  }
  return "queued";
}

}  // namespace leadline::store

namespace leadline::store::sql {
namespace {

constexpr const char* kRowColumns =
    "SELECT e.id, e.connection_id, e.service_id, e.repo_id, r.location, e.deployment_key, e.body, "
    "e.queued_at, e.due_at, e.state, e.attempts, e.sent_at, e.last_error FROM change_events e "
    "JOIN repositories r ON r.id = e.repo_id ";

Status CheckService(std::int64_t connection_id, const std::string& service_id) {
  if (connection_id <= 0 || service_id.empty() || service_id.size() > kMostChangeEventKeyBytes) {
    return Status::InvalidArgument("a change event needs a connection and a service id");
  }
  return Status::Ok();
}

Status CheckOwner(const std::string& owner) {
  if (owner.empty() || owner.size() > 200) {
    return Status::InvalidArgument("a change event claim needs an owner of 1 to 200 bytes");
  }
  return Status::Ok();
}

// At most kMostChangeEventErrorBytes, cut at a UTF-8 character's start.
std::string CutError(const std::string& error) {
  if (error.size() <= kMostChangeEventErrorBytes) return error;
  std::size_t end = kMostChangeEventErrorBytes;
  while (end > 0 && (static_cast<unsigned char>(error[end]) & 0xC0) == 0x80) --end;
  return error.substr(0, end);
}

ChangeEventState StateOf(std::string_view name) {
  return name == "sent"     ? ChangeEventState::kSent
         : name == "failed" ? ChangeEventState::kFailed
                            : ChangeEventState::kQueued;
}

}  // namespace

Status ChangeEventRows::EnableChangeEvents(std::int64_t connection_id,
                                           const std::string& service_id,
                                           const std::string& sealed_routing_key,
                                           const std::string& events_url, common::UnixSeconds now) {
  LEADLINE_RETURN_IF_ERROR(CheckService(connection_id, service_id));
  if (sealed_routing_key.empty() || events_url.empty()) {
    return Status::InvalidArgument("sending change events needs a routing key and an events URL");
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto stored,
      db_.Prepare("SELECT 1 FROM incident_services WHERE connection_id = ? AND id = ?"));
  stored.Bind(1, connection_id).Bind(2, service_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool found, stored.Step());
  stored.Reset();
  if (!found) return Status::NotFound("no stored incident service '" + service_id + "'");
  LEADLINE_ASSIGN_OR_RETURN(
      auto upsert,
      db_.Prepare("INSERT INTO change_event_services (connection_id, service_id, "
                  "sealed_routing_key, events_url, enabled_at) VALUES (?, ?, ?, ?, ?) ON "
                  "CONFLICT (connection_id, service_id) DO UPDATE SET sealed_routing_key = "
                  "excluded.sealed_routing_key, events_url = excluded.events_url"));
  LEADLINE_RETURN_IF_ERROR(upsert.Bind(1, connection_id)
                               .Bind(2, service_id)
                               .Bind(3, sealed_routing_key)
                               .Bind(4, events_url)
                               .Bind(5, now)
                               .Run());
  LEADLINE_ASSIGN_OR_RETURN(
      auto revive,
      db_.Prepare("UPDATE change_events SET state = 'queued', attempts = 0, due_at = ? WHERE "
                  "connection_id = ? AND service_id = ? AND state = 'failed'"));
  return revive.Bind(1, now).Bind(2, connection_id).Bind(3, service_id).Run();
}

Result<bool> ChangeEventRows::DisableChangeEvents(std::int64_t connection_id,
                                                  const std::string& service_id) {
  LEADLINE_RETURN_IF_ERROR(CheckService(connection_id, service_id));
  LEADLINE_ASSIGN_OR_RETURN(
      auto events,
      db_.Prepare("DELETE FROM change_events WHERE connection_id = ? AND service_id = ?"));
  LEADLINE_RETURN_IF_ERROR(events.Bind(1, connection_id).Bind(2, service_id).Run());
  LEADLINE_ASSIGN_OR_RETURN(
      auto service, db_.Prepare("DELETE FROM change_event_services WHERE connection_id = ? AND "
                                "service_id = ?"));
  LEADLINE_RETURN_IF_ERROR(service.Bind(1, connection_id).Bind(2, service_id).Run());
  return db_.Changes() > 0;
}

Result<std::vector<ChangeEventService>> ChangeEventRows::LoadChangeEventServices() {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("SELECT s.connection_id, s.service_id, s.sealed_routing_key, s.events_url, "
                  "s.enabled_at, COUNT(CASE WHEN e.state = 'sent' THEN 1 END), COUNT(CASE WHEN "
                  "e.state = 'queued' THEN 1 END), COUNT(CASE WHEN e.state = 'failed' THEN 1 "
                  "END), MAX(e.sent_at) FROM change_event_services s LEFT JOIN change_events e "
                  "ON e.connection_id = s.connection_id AND e.service_id = s.service_id GROUP BY "
                  "s.connection_id, s.service_id, s.sealed_routing_key, s.events_url, "
                  "s.enabled_at ORDER BY s.connection_id, s.service_id"));
  std::vector<ChangeEventService> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    ChangeEventService service;
    service.connection_id = stmt.ColumnInt(0);
    service.service_id = std::string(stmt.ColumnText(1));
    service.sealed_routing_key = std::string(stmt.ColumnText(2));
    service.events_url = std::string(stmt.ColumnText(3));
    service.enabled_at = stmt.ColumnInt(4);
    service.sent = stmt.ColumnInt(5);
    service.queued = stmt.ColumnInt(6);
    service.failed = stmt.ColumnInt(7);
    if (!stmt.ColumnIsNull(8)) service.last_sent_at = stmt.ColumnInt(8);
    out.push_back(std::move(service));
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto error, db_.Prepare("SELECT last_error FROM change_events WHERE connection_id = ? AND "
                              "service_id = ? AND last_error <> '' AND state <> 'sent' ORDER "
                              "BY queued_at DESC, id DESC LIMIT 1"));
  for (ChangeEventService& service : out) {
    error.Bind(1, service.connection_id).Bind(2, service.service_id);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, error.Step());
    if (row) service.last_error = std::string(error.ColumnText(0));
    error.Reset();
  }
  return out;
}

Result<bool> ChangeEventRows::EnqueueChangeEvent(std::int64_t connection_id,
                                                 const std::string& service_id,
                                                 std::int64_t repo_id,
                                                 const std::string& deployment_key,
                                                 const std::string& body, common::UnixSeconds now) {
  LEADLINE_RETURN_IF_ERROR(CheckService(connection_id, service_id));
  if (repo_id <= 0) return Status::InvalidArgument("a change event needs a repository id");
  if (deployment_key.empty() || deployment_key.size() > kMostChangeEventKeyBytes) {
    return Status::InvalidArgument("a change event's deployment key is 1 to " +
                                   std::to_string(kMostChangeEventKeyBytes) + " bytes");
  }
  if (body.empty() || body.size() > kMostChangeEventBodyBytes) {
    return Status::InvalidArgument("a change event is 1 to " +
                                   std::to_string(kMostChangeEventBodyBytes) + " bytes");
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto on, db_.PrepareCached("SELECT 1 FROM change_event_services WHERE connection_id = ? "
                                 "AND service_id = ?"));
  on.Bind(1, connection_id).Bind(2, service_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool sends, on.Step());
  on.Reset();
  if (!sends) return false;
  LEADLINE_ASSIGN_OR_RETURN(
      auto insert,
      db_.PrepareCached("INSERT INTO change_events (connection_id, service_id, repo_id, "
                        "deployment_key, body, queued_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (connection_id, service_id, repo_id, deployment_key) DO "
                        "NOTHING"));
  LEADLINE_RETURN_IF_ERROR(insert.Bind(1, connection_id)
                               .Bind(2, service_id)
                               .Bind(3, repo_id)
                               .Bind(4, deployment_key)
                               .Bind(5, body)
                               .Bind(6, now)
                               .Bind(7, now)
                               .Run());
  return db_.Changes() == 1;
}

Result<std::vector<ChangeEventRow>> ChangeEventRows::ReadRows(Statement& stmt) {
  std::vector<ChangeEventRow> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    ChangeEventRow r;
    r.id = stmt.ColumnInt(0);
    r.connection_id = stmt.ColumnInt(1);
    r.service_id = std::string(stmt.ColumnText(2));
    r.repo_id = stmt.ColumnInt(3);
    r.location = std::string(stmt.ColumnText(4));
    r.deployment_key = std::string(stmt.ColumnText(5));
    r.body = std::string(stmt.ColumnText(6));
    r.queued_at = stmt.ColumnInt(7);
    r.due_at = stmt.ColumnInt(8);
    r.state = StateOf(stmt.ColumnText(9));
    r.attempts = stmt.ColumnInt(10);
    if (!stmt.ColumnIsNull(11)) r.sent_at = stmt.ColumnInt(11);
    r.last_error = std::string(stmt.ColumnText(12));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ChangeEventRow>> ChangeEventRows::ClaimDueChangeEvents(const std::string& owner,
                                                                          common::UnixSeconds now,
                                                                          common::UnixSeconds until,
                                                                          std::size_t limit) {
  LEADLINE_RETURN_IF_ERROR(CheckOwner(owner));
  if (limit == 0 || limit > kMostChangeEventClaim) {
    return Status::InvalidArgument("a change event claim takes 1 to " +
                                   std::to_string(kMostChangeEventClaim) + " rows");
  }
  if (until <= now) return Status::InvalidArgument("a change event claim's lease ends after now");
  // Parameters: the owner, the lease's end, now, the limit.
  constexpr const char* kFree =
      "SELECT id FROM change_events WHERE state = 'queued' AND due_at <= ?3 AND (claimed_until "
      "IS NULL OR claimed_until < ?3 OR claimed_by = ?1) ORDER BY due_at, id LIMIT ?4";
  const auto most = static_cast<std::int64_t>(limit);
  LEADLINE_RETURN_IF_ERROR(ClaimLeases(db_, "change_events", kFree, owner, now, until, most));
  LEADLINE_ASSIGN_OR_RETURN(
      auto held, db_.PrepareCached(std::string(kRowColumns) +
                                   "WHERE e.claimed_by = ? AND e.claimed_until = ? AND e.state = "
                                   "'queued' ORDER BY e.due_at, e.id LIMIT ?"));
  held.Bind(1, owner).Bind(2, until).Bind(3, most);
  return ReadRows(held);
}

Result<bool> ChangeEventRows::FinishChangeEvent(std::int64_t id, const std::string& owner,
                                                common::UnixSeconds now) {
  LEADLINE_RETURN_IF_ERROR(CheckOwner(owner));
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.PrepareCached("UPDATE change_events SET state = 'sent', sent_at = ?, last_error = '', "
                        "claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ? "
                        "AND state = 'queued'"));
  LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, now).Bind(2, id).Bind(3, owner).Run());
  return db_.Changes() == 1;
}

Result<bool> ChangeEventRows::FailChangeEvent(std::int64_t id, const std::string& owner,
                                              const std::string& error,
                                              common::UnixSeconds retry_at,
                                              std::int64_t most_attempts) {
  LEADLINE_RETURN_IF_ERROR(CheckOwner(owner));
  if (most_attempts < 1) return Status::InvalidArgument("a change event gets at least one attempt");
  const std::string cut = CutError(error);
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db_.PrepareCached("UPDATE change_events SET attempts = attempts + 1, last_error = ?, "
                        "due_at = ?, state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE "
                        "'queued' END, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND "
                        "claimed_by = ? AND state = 'queued'"));
  LEADLINE_RETURN_IF_ERROR(
      stmt.Bind(1, cut).Bind(2, retry_at).Bind(3, most_attempts).Bind(4, id).Bind(5, owner).Run());
  return db_.Changes() == 1;
}

Result<std::vector<ChangeEventRow>> ChangeEventRows::LoadUnsentChangeEvents(std::size_t limit) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db_.Prepare(std::string(kRowColumns) +
                             "WHERE e.state <> 'sent' ORDER BY e.queued_at, e.id LIMIT ?"));
  stmt.Bind(1, static_cast<std::int64_t>(limit));
  return ReadRows(stmt);
}

}  // namespace leadline::store::sql
