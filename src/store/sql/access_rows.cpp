#include "store/sql/access_rows.h"

#include <map>

#include "store/sql/line_list.h"

namespace leadline::store::sql {
namespace {

std::optional<std::int64_t> OptionalColumn(const Statement& stmt, int index) {
  if (stmt.ColumnIsNull(index)) return std::nullopt;
  return stmt.ColumnInt(index);
}

}  // namespace

Result<std::int64_t> SaveProject(Connection& db, const model::Project& project) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto upsert, db.Prepare("INSERT INTO projects (name) VALUES (?) ON CONFLICT (name) DO "
                              "UPDATE SET name = excluded.name RETURNING id"));
  upsert.Bind(1, project.name);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, upsert.Step());
  if (!row) return Status::Internal("saving project '" + project.name + "' returned no id");
  const std::int64_t id = upsert.ColumnInt(0);
  upsert.Reset();
  LEADLINE_ASSIGN_OR_RETURN(auto clear,
                            db.Prepare("DELETE FROM project_repositories WHERE project_id = ?"));
  LEADLINE_RETURN_IF_ERROR(clear.Bind(1, id).Run());
  LEADLINE_ASSIGN_OR_RETURN(
      auto add, db.Prepare("INSERT INTO project_repositories (project_id, repo_id) VALUES (?, ?) "
                           "ON CONFLICT DO NOTHING"));
  for (std::int64_t repo_id : project.repository_ids) {
    LEADLINE_RETURN_IF_ERROR(add.Bind(1, id).Bind(2, repo_id).Run());
  }
  return id;
}

Result<std::vector<model::Project>> LoadProjects(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT p.id, p.name, r.repo_id FROM projects p LEFT JOIN "
                            "project_repositories r ON r.project_id = p.id ORDER BY p.name, "
                            "r.repo_id"));
  std::vector<model::Project> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    if (out.empty() || out.back().id != stmt.ColumnInt(0)) {
      out.push_back({stmt.ColumnInt(0), std::string(stmt.ColumnText(1)), {}});
    }
    if (!stmt.ColumnIsNull(2)) out.back().repository_ids.push_back(stmt.ColumnInt(2));
  }
  return out;
}

Result<bool> DeleteProject(Connection& db, const std::string& name) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare("DELETE FROM projects WHERE name = ?"));
  LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, name).Run());
  return db.Changes() > 0;
}

Result<std::int64_t> InsertApiToken(Connection& db, const model::ApiToken& token) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO api_tokens (name, secret_hash, scopes, projects, "
                            "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
  // Bound text must outlive the statement's run.
  const std::string scopes = JoinLines(token.scopes);
  const std::string projects = JoinLines(token.projects);
  stmt.Bind(1, token.name)
      .Bind(2, token.secret_hash)
      .Bind(3, scopes)
      .Bind(4, projects)
      .Bind(5, token.created_at)
      .Bind(6, token.expires_at);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return Status::DatabaseError("inserting a token returned no id");
  const std::int64_t id = stmt.ColumnInt(0);
  LEADLINE_RETURN_IF_ERROR(stmt.Step().status());  // RETURNING finishes on the next step
  return id;
}

Result<std::vector<model::ApiToken>> LoadApiTokens(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT id, name, secret_hash, scopes, projects, created_at, "
                            "expires_at, revoked_at, last_used_at FROM api_tokens ORDER BY id"));
  std::vector<model::ApiToken> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::ApiToken token;
    token.id = stmt.ColumnInt(0);
    token.name = std::string(stmt.ColumnText(1));
    token.secret_hash = std::string(stmt.ColumnText(2));
    token.scopes = SplitLines(stmt.ColumnText(3));
    token.projects = SplitLines(stmt.ColumnText(4));
    token.created_at = stmt.ColumnInt(5);
    token.expires_at = OptionalColumn(stmt, 6);
    token.revoked_at = OptionalColumn(stmt, 7);
    token.last_used_at = OptionalColumn(stmt, 8);
    out.push_back(std::move(token));
  }
  return out;
}

Result<bool> RevokeApiToken(Connection& db, const std::string& name, common::UnixSeconds at) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"));
  LEADLINE_RETURN_IF_ERROR(stmt.Bind(1, at).Bind(2, name).Run());
  return db.Changes() > 0;
}

Status TouchApiToken(Connection& db, std::int64_t id, common::UnixSeconds at) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"));
  return stmt.Bind(1, at).Bind(2, id).Run();
}

Status AppendAudit(Connection& db, const std::vector<model::AuditEntry>& entries) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("INSERT INTO audit_log (at, token_name, method, path, status) "
                            "VALUES (?, ?, ?, ?, ?)"));
  for (const model::AuditEntry& entry : entries) {
    stmt.Bind(1, entry.at)
        .Bind(2, entry.token_name)
        .Bind(3, entry.method)
        .Bind(4, entry.path)
        .Bind(5, std::int64_t{entry.status});
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Result<std::vector<model::AuditEntry>> LoadAudit(Connection& db, std::size_t limit) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT at, token_name, method, path, status FROM audit_log ORDER BY "
                            "id DESC LIMIT ?"));
  stmt.Bind(1, static_cast<std::int64_t>(limit));
  std::vector<model::AuditEntry> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnInt(0), std::string(stmt.ColumnText(1)),
                   std::string(stmt.ColumnText(2)), std::string(stmt.ColumnText(3)),
                   static_cast<int>(stmt.ColumnInt(4))});
  }
  return out;
}

Status AddAuditRefusals(Connection& db, const std::vector<model::AuditRefusal>& refusals) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO audit_refusals (minute, client_address, reason, count, status, "
                 "method, path) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (minute, "
                 "client_address, reason) DO UPDATE SET count = audit_refusals.count + "
                 "excluded.count, status = "
                 "excluded.status, method = excluded.method, path = excluded.path"));
  for (const model::AuditRefusal& refusal : refusals) {
    stmt.Bind(1, refusal.minute)
        .Bind(2, refusal.client_address)
        .Bind(3, refusal.reason)
        .Bind(4, refusal.count)
        .Bind(5, std::int64_t{refusal.status})
        .Bind(6, refusal.method)
        .Bind(7, refusal.path);
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Result<std::vector<model::AuditRefusal>> LoadAuditRefusals(Connection& db, std::size_t limit) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT minute, client_address, reason, count, status, method, path "
                            "FROM audit_refusals ORDER BY minute DESC, count DESC, "
                            "client_address, reason LIMIT ?"));
  stmt.Bind(1, static_cast<std::int64_t>(limit));
  std::vector<model::AuditRefusal> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    out.push_back({stmt.ColumnInt(0), std::string(stmt.ColumnText(1)),
                   std::string(stmt.ColumnText(2)), stmt.ColumnInt(3),
                   static_cast<int>(stmt.ColumnInt(4)), std::string(stmt.ColumnText(5)),
                   std::string(stmt.ColumnText(6))});
  }
  return out;
}

Result<std::int64_t> PruneAudit(Connection& db, common::UnixSeconds before) {
  // Each statement is its own transaction; both tables are read by time through an index.
  constexpr int kPerTransaction = 500;
  std::int64_t pruned = 0;
  for (const char* sql :
       {"DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? LIMIT ?)",
        "DELETE FROM audit_refusals WHERE (minute, client_address, reason) IN (SELECT minute, "
        "client_address, reason FROM audit_refusals WHERE minute < ? LIMIT ?)"}) {
    LEADLINE_ASSIGN_OR_RETURN(auto prune, db.Prepare(sql));
    for (;;) {
      LEADLINE_RETURN_IF_ERROR(prune.Bind(1, before).Bind(2, std::int64_t{kPerTransaction}).Run());
      pruned += db.Changes();
      if (db.Changes() < kPerTransaction) break;
    }
  }
  return pruned;
}

}  // namespace leadline::store::sql
