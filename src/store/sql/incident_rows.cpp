#include "store/sql/incident_rows.h"

namespace leadline::store::sql {
namespace {

constexpr char kColumns[] =
    "id, source, service, severity, title, started_at, resolved_at, repository, deployment, "
    "commit_sha, acknowledged_at, link, connection_id, named_by";

model::Incident ReadIncident(const Statement& stmt) {
  model::Incident incident;
  incident.id = std::string(stmt.ColumnText(0));
  incident.source = std::string(stmt.ColumnText(1));
  incident.service = std::string(stmt.ColumnText(2));
  incident.severity = std::string(stmt.ColumnText(3));
  incident.title = std::string(stmt.ColumnText(4));
  incident.started_at = stmt.ColumnInt(5);
  if (!stmt.ColumnIsNull(6)) incident.resolved_at = stmt.ColumnInt(6);
  incident.repository = std::string(stmt.ColumnText(7));
  incident.deployment = std::string(stmt.ColumnText(8));
  incident.commit = std::string(stmt.ColumnText(9));
  if (!stmt.ColumnIsNull(10)) incident.acknowledged_at = stmt.ColumnInt(10);
  incident.link = std::string(stmt.ColumnText(11));
  incident.connection_id = stmt.ColumnInt(12);
  incident.named_by = std::string(stmt.ColumnText(13));
  return incident;
}

}  // namespace

Result<std::int64_t> UpsertIncidents(Connection& db,
                                     const std::vector<model::Incident>& incidents) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare(std::string("INSERT INTO incidents (") + kColumns +
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, id) DO "
                 "UPDATE SET service = excluded.service, severity = excluded.severity, title = "
                 "excluded.title, started_at = excluded.started_at, resolved_at = "
                 "excluded.resolved_at, repository = excluded.repository, deployment = "
                 "excluded.deployment, commit_sha = excluded.commit_sha, acknowledged_at = "
                 "excluded.acknowledged_at, link = excluded.link, connection_id = "
                 "excluded.connection_id, named_by = excluded.named_by WHERE (incidents.service, "
                 "incidents.severity, "
                 "incidents.title, incidents.started_at, incidents.resolved_at, "
                 "incidents.repository, incidents.deployment, incidents.commit_sha, "
                 "incidents.acknowledged_at, incidents.link, incidents.connection_id, "
                 "incidents.named_by) IS DISTINCT FROM (excluded.service, excluded.severity, "
                 "excluded.title, excluded.started_at, "
                 "excluded.resolved_at, excluded.repository, excluded.deployment, "
                 "excluded.commit_sha, excluded.acknowledged_at, excluded.link, "
                 "excluded.connection_id, excluded.named_by)"));
  std::int64_t changed = 0;
  for (const model::Incident& incident : incidents) {
    stmt.Bind(1, incident.id)
        .Bind(2, incident.source)
        .Bind(3, incident.service)
        .Bind(4, incident.severity)
        .Bind(5, incident.title)
        .Bind(6, incident.started_at)
        .Bind(7, incident.resolved_at)
        .Bind(8, incident.repository)
        .Bind(9, incident.deployment)
        .Bind(10, incident.commit)
        .Bind(11, incident.acknowledged_at)
        .Bind(12, incident.link)
        .Bind(13, incident.connection_id)
        .Bind(14, incident.named_by);
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
    changed += db.Changes();
  }
  return changed;
}

Result<std::optional<model::Incident>> FindIncident(Connection& db, const std::string& source,
                                                    const std::string& id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string("SELECT ") + kColumns +
                                                  " FROM incidents WHERE source = ? AND id = ?"));
  stmt.Bind(1, source).Bind(2, id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<model::Incident>();
  return std::optional<model::Incident>(ReadIncident(stmt));
}

Result<std::vector<model::Incident>> LoadIncidents(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare(std::string("SELECT ") + kColumns +
                                                  " FROM incidents ORDER BY started_at, source, "
                                                  "id"));
  std::vector<model::Incident> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadIncident(stmt));
  }
  return out;
}

}  // namespace leadline::store::sql
