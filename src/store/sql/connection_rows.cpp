#include "store/sql/connection_rows.h"

#include <optional>

namespace leadline::store::sql {
namespace {

Result<model::AuthMethod> ParseAuthMethod(std::string_view name) {
  for (model::AuthMethod auth :
       {model::AuthMethod::kApiToken, model::AuthMethod::kAccessToken,
        model::AuthMethod::kAppPassword, model::AuthMethod::kHttpAccessToken,
        model::AuthMethod::kGitLabToken, model::AuthMethod::kPagerDutyToken,
        model::AuthMethod::kIncidentIoKey, model::AuthMethod::kOpsgenieKey}) {
    if (name == model::AuthMethodName(auth)) return auth;
  }
  return Status::DatabaseError("a stored connection has an unknown auth method '" +
                               std::string(name) + "'");
}

}  // namespace

Result<std::int64_t> UpsertConnection(Connection& db, const model::Connection& c) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO connections (name, provider, url, workspace, auth_method, "
                            "username, sealed_secret) VALUES (?, ?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT (name) DO UPDATE SET provider = excluded.provider, "
                            "url = excluded.url, workspace = excluded.workspace, "
                            "auth_method = excluded.auth_method, username = excluded.username, "
                            "sealed_secret = excluded.sealed_secret RETURNING id"));
  stmt.Bind(1, c.name)
      .Bind(2, std::string_view(model::ProviderName(c.provider)))
      .Bind(3, c.url)
      .Bind(4, c.workspace)
      .Bind(5, std::string_view(model::AuthMethodName(c.auth)))
      .Bind(6, c.username)
      .Bind(7, c.sealed_secret);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return Status::DatabaseError("upserting a connection returned no id");
  return stmt.ColumnInt(0);
}

Result<std::vector<model::Connection>> LoadConnections(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT id, name, provider, url, workspace, auth_method, username, "
                            "sealed_secret, checked_at, check_outcome FROM connections "
                            "ORDER BY name"));
  std::vector<model::Connection> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::Connection c;
    c.id = stmt.ColumnInt(0);
    c.name = std::string(stmt.ColumnText(1));
    const std::optional<model::Provider> provider = model::ParseProvider(stmt.ColumnText(2));
    if (!provider || !model::IsConnectable(*provider)) {
      return Status::DatabaseError("the stored connection '" + c.name +
                                   "' has an unknown provider '" + std::string(stmt.ColumnText(2)) +
                                   "': it was written by a newer Leadline");
    }
    c.provider = *provider;
    c.url = std::string(stmt.ColumnText(3));
    c.workspace = std::string(stmt.ColumnText(4));
    LEADLINE_ASSIGN_OR_RETURN(c.auth, ParseAuthMethod(stmt.ColumnText(5)));
    c.username = std::string(stmt.ColumnText(6));
    c.sealed_secret = std::string(stmt.ColumnText(7));
    if (!stmt.ColumnIsNull(8)) c.checked_at = stmt.ColumnInt(8);
    c.check_outcome = std::string(stmt.ColumnText(9));
    out.push_back(std::move(c));
  }
  return out;
}

Status RecordConnectionCheck(Connection& db, std::int64_t connection_id, common::UnixSeconds at,
                             const std::string& outcome) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("UPDATE connections SET checked_at = ?, check_outcome = ? WHERE id = ?"));
  return stmt.Bind(1, at).Bind(2, outcome).Bind(3, connection_id).Run();
}

Status SetWebhookSecret(Connection& db, std::int64_t connection_id, const std::string& sealed) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE connections SET webhook_secret = ? WHERE id = ?"));
  return stmt.Bind(1, sealed).Bind(2, connection_id).Run();
}

Result<std::string> LoadWebhookSecret(Connection& db, std::int64_t connection_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT webhook_secret FROM connections WHERE id = ?"));
  stmt.Bind(1, connection_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? std::string(stmt.ColumnText(0)) : std::string();
}

}  // namespace leadline::store::sql
