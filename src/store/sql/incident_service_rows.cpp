#include "store/sql/incident_service_rows.h"

#include "store/sql/line_list.h"

namespace leadline::store::sql {

Status UpsertIncidentServices(Connection& db, std::int64_t connection_id,
                              const std::vector<model::IncidentService>& services) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO incident_services (connection_id, id, name) VALUES (?, ?, ?) "
                 "ON CONFLICT (connection_id, id) DO UPDATE SET name = excluded.name "
                 "WHERE incident_services.name IS DISTINCT FROM excluded.name"));
  for (const model::IncidentService& service : services) {
    stmt.Bind(1, connection_id).Bind(2, service.id).Bind(3, service.name);
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Result<std::vector<model::IncidentService>> LoadIncidentServices(Connection& db,
                                                                 std::int64_t connection_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT connection_id, id, name, repos FROM incident_services "
                            "WHERE ? = 0 OR connection_id = ? ORDER BY connection_id, name, id"));
  stmt.Bind(1, connection_id).Bind(2, connection_id);
  std::vector<model::IncidentService> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnInt(0), std::string(stmt.ColumnText(1)),
                   std::string(stmt.ColumnText(2)), std::string(stmt.ColumnText(3))});
  }
  return out;
}

Result<bool> MapIncidentService(Connection& db, std::int64_t connection_id,
                                const std::string& service_id, const std::string& repos) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("UPDATE incident_services SET repos = ? WHERE connection_id = ? AND id = ?"));
  stmt.Bind(1, repos).Bind(2, connection_id).Bind(3, service_id);
  LEADLINE_RETURN_IF_ERROR(stmt.Run());
  return db.Changes() > 0;
}

Result<std::optional<model::IncidentConnectionState>> LoadIncidentConnection(
    Connection& db, std::int64_t connection_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT counts, cursor FROM incident_connections WHERE connection_id = ?"));
  stmt.Bind(1, connection_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<model::IncidentConnectionState>();
  return std::optional<model::IncidentConnectionState>(model::IncidentConnectionState{
      connection_id, SplitLines(stmt.ColumnText(0)), std::string(stmt.ColumnText(1))});
}

Status SaveIncidentCounts(Connection& db, std::int64_t connection_id,
                          const std::vector<std::string>& counts) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO incident_connections (connection_id, counts) VALUES "
                            "(?, ?) ON CONFLICT (connection_id) DO UPDATE SET counts = "
                            "excluded.counts"));
  const std::string lines = JoinLines(counts);  // bound text must outlive the run
  stmt.Bind(1, connection_id).Bind(2, lines);
  return stmt.Run();
}

Status SaveIncidentCursor(Connection& db, std::int64_t connection_id, const std::string& cursor) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("UPDATE incident_connections SET cursor = ? WHERE connection_id = ?"));
  stmt.Bind(1, cursor).Bind(2, connection_id);
  LEADLINE_RETURN_IF_ERROR(stmt.Run());
  if (db.Changes() == 0) {
    return Status::Internal("incident connection " + std::to_string(connection_id) +
                            " has no stored state to keep its cursor in");
  }
  return Status::Ok();
}

}  // namespace leadline::store::sql
