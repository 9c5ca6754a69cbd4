#include "store/sql/repository_rows.h"

namespace leadline::store::sql {

Result<std::optional<model::Repository>> FindRepository(Connection& db, const std::string& source,
                                                        const std::string& location) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT id, name, default_branch FROM repositories "
                                       "WHERE source = ? AND location = ?"));
  stmt.Bind(1, source).Bind(2, location);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return std::optional<model::Repository>();
  model::Repository repo;
  repo.id = stmt.ColumnInt(0);
  repo.source = source;
  repo.location = location;
  repo.name = std::string(stmt.ColumnText(1));
  repo.default_branch = std::string(stmt.ColumnText(2));
  return std::optional<model::Repository>(std::move(repo));
}

Result<std::int64_t> UpsertRepository(Connection& db, const model::Repository& repo) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO repositories (source, location, name, default_branch, "
                 "connection_id, clone_url, upstream_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                 "(source, location) DO UPDATE SET name = excluded.name, default_branch = "
                 "excluded.default_branch, connection_id = excluded.connection_id, clone_url = "
                 "excluded.clone_url, visible = TRUE, upstream_id = CASE WHEN excluded.upstream_id "
                 "<> '' THEN excluded.upstream_id ELSE repositories.upstream_id END "
                 "RETURNING id"));
  stmt.Bind(1, repo.source)
      .Bind(2, repo.location)
      .Bind(3, repo.name)
      .Bind(4, repo.default_branch)
      .Bind(6, repo.clone_url)
      .Bind(7, repo.upstream_id);
  if (repo.connection_id != 0) {
    stmt.Bind(5, repo.connection_id);
  } else {
    stmt.BindNull(5);
  }
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return Status::DatabaseError("upserting a repository returned no id");
  return stmt.ColumnInt(0);
}

Result<std::vector<model::Repository>> LoadConnectedRepositories(Connection& db) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT id, source, location, name, default_branch, connection_id, "
                            "selected, clone_url, visible, synced_at, webhook_id, upstream_id FROM "
                            "repositories WHERE connection_id IS NOT NULL "
                            "ORDER BY source, location"));
  std::vector<model::Repository> out;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    model::Repository repo;
    repo.id = stmt.ColumnInt(0);
    repo.source = std::string(stmt.ColumnText(1));
    repo.location = std::string(stmt.ColumnText(2));
    repo.name = std::string(stmt.ColumnText(3));
    repo.default_branch = std::string(stmt.ColumnText(4));
    repo.connection_id = stmt.ColumnInt(5);
    repo.selected = stmt.ColumnInt(6) != 0;
    repo.clone_url = std::string(stmt.ColumnText(7));
    repo.visible = stmt.ColumnInt(8) != 0;
    if (!stmt.ColumnIsNull(9)) repo.synced_at = stmt.ColumnInt(9);
    repo.webhook_id = std::string(stmt.ColumnText(10));
    repo.upstream_id = std::string(stmt.ColumnText(11));
    out.push_back(std::move(repo));
  }
  return out;
}

Status SetVisible(Connection& db, std::int64_t repo_id, bool visible) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE repositories SET visible = ? WHERE id = ?"));
  return stmt.Bind(1, std::int64_t{visible ? 1 : 0}).Bind(2, repo_id).Run();
}

Status SetSyncedAt(Connection& db, std::int64_t repo_id, common::UnixSeconds at) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE repositories SET synced_at = ? WHERE id = ?"));
  return stmt.Bind(1, at).Bind(2, repo_id).Run();
}

Status SetWebhookId(Connection& db, std::int64_t repo_id, const std::string& webhook_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE repositories SET webhook_id = ? WHERE id = ?"));
  return stmt.Bind(1, webhook_id).Bind(2, repo_id).Run();
}

Status SetSelected(Connection& db, std::int64_t repo_id, bool selected) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("UPDATE repositories SET selected = ? WHERE id = ?"));
  return stmt.Bind(1, std::int64_t{selected ? 1 : 0}).Bind(2, repo_id).Run();
}

Result<std::string> LoadCursor(Connection& db, std::int64_t repo_id, const std::string& entity) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT cursor FROM sync_cursors WHERE repo_id = ? AND entity = ?"));
  stmt.Bind(1, repo_id).Bind(2, entity);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? std::string(stmt.ColumnText(0)) : std::string();
}

Status SaveCursor(Connection& db, std::int64_t repo_id, const std::string& entity,
                  const std::string& cursor) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("INSERT INTO sync_cursors (repo_id, entity, cursor) VALUES (?, ?, ?) "
                 "ON CONFLICT (repo_id, entity) DO UPDATE SET cursor = excluded.cursor"));
  return stmt.Bind(1, repo_id).Bind(2, entity).Bind(3, cursor).Run();
}

}  // namespace leadline::store::sql
