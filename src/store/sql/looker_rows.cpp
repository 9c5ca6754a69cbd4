#include "store/sql/looker_rows.h"

namespace leadline::store::sql {

Status SaveLookerConnection(Connection& db, const LookerConnection& connection) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO looker_connection (id, url, client_id, sealed_secret, "
                 "connected_at, last_trigger_at, last_trigger_outcome) "
                 "VALUES (1, ?, ?, ?, ?, NULL, '') ON CONFLICT (id) DO UPDATE SET "
                 "url = excluded.url, client_id = excluded.client_id, "
                 "sealed_secret = excluded.sealed_secret, connected_at = excluded.connected_at, "
                 "last_trigger_at = NULL, last_trigger_outcome = ''"));
  stmt.Bind(1, connection.url)
      .Bind(2, connection.client_id)
      .Bind(3, connection.sealed_secret)
      .Bind(4, connection.connected_at);
  return stmt.Run();
}

Result<std::optional<LookerConnection>> LoadLookerConnection(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT url, client_id, sealed_secret, connected_at, last_trigger_at, "
                            "last_trigger_outcome FROM looker_connection WHERE id = 1"));
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<LookerConnection>();
  LookerConnection connection;
  connection.url = stmt.ColumnText(0);
  connection.client_id = stmt.ColumnText(1);
  connection.sealed_secret = stmt.ColumnText(2);
  connection.connected_at = stmt.ColumnInt(3);
  if (!stmt.ColumnIsNull(4)) connection.last_trigger_at = stmt.ColumnInt(4);
  connection.last_trigger_outcome = stmt.ColumnText(5);
  return std::optional<LookerConnection>(std::move(connection));
}

Status RecordLookerTrigger(Connection& db, common::UnixSeconds at, const std::string& outcome) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE looker_connection SET last_trigger_at = ?, "
                                       "last_trigger_outcome = ? WHERE id = 1"));
  const std::string bounded = outcome.substr(0, 2000);
  stmt.Bind(1, at).Bind(2, bounded);
  return stmt.Run();
}

}  // namespace leadline::store::sql
