#include "store/sql/history_rows.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "store/sql/batch_insert.h"

namespace leadline::store::sql {
namespace {

using model::Deployment;
using model::DeploymentStatus;
using model::Ref;
using model::RefKind;

std::string JoinParents(const std::vector<std::string>& parents) {
  std::string out;
  for (const std::string& parent : parents) {
    if (!out.empty()) out += ' ';
    out += parent;
  }
  return out;
}

constexpr int kCommitColumns = 13;

// 128 random bits in hex: a history version no other history has.
std::string NewHistoryVersion() {
  static thread_local std::mt19937_64 random{
      std::random_device{}() ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  char text[33];
  std::snprintf(text, sizeof(text), "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return text;
}

}  // namespace

Result<std::int64_t> CountCommits(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT commit_count FROM repositories WHERE id = ?"));
  stmt.Bind(1, repo_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? stmt.ColumnInt(0) : 0;
}

Result<std::int64_t> InsertCommits(Connection& db, std::int64_t repo_id,
                                   const std::vector<model::Commit>& commits) {
  std::int64_t inserted = 0;
  if (commits.empty()) return inserted;
  // A new version before the rows: a snapshot built from the history before (app/
  // snapshot_cache.h) is never taken for the history after, even if the inserts below were
  // committed apart from this update and the process stopped between them.
  LEADLINE_ASSIGN_OR_RETURN(auto version,
                            db.Prepare("UPDATE repositories SET history_version = ? WHERE id = ?"));
  const std::string new_version = NewHistoryVersion();
  LEADLINE_RETURN_IF_ERROR(version.Bind(1, new_version).Bind(2, repo_id).Run());
  // In statements of many rows (batch_insert.h), with the joined parents kept until each runs.
  std::vector<std::string> parents(kRowsPerInsert);
  for (std::size_t start = 0; start < commits.size(); start += kRowsPerInsert) {
    const std::size_t rows = std::min(kRowsPerInsert, commits.size() - start);
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db.PrepareCached(MultiRowInsertSql(
                       "INSERT INTO commits (repo_id, sha, parent_shas, author_name, author_email, "
                       "author_time, committer_name, committer_email, committer_time, message, "
                       "files_changed, lines_added, lines_deleted) VALUES",
                       kCommitColumns, rows, "ON CONFLICT DO NOTHING")));
    for (std::size_t row = 0; row < rows; ++row) {
      const model::Commit& commit = commits[start + row];
      parents[row] = JoinParents(commit.parents);
      const int at = static_cast<int>(row) * kCommitColumns;
      stmt.Bind(at + 1, repo_id)
          .Bind(at + 2, commit.sha)
          .Bind(at + 3, parents[row])
          .Bind(at + 4, commit.author.name)
          .Bind(at + 5, commit.author.email)
          .Bind(at + 6, commit.author_time)
          .Bind(at + 7, commit.committer.name)
          .Bind(at + 8, commit.committer.email)
          .Bind(at + 9, commit.committer_time)
          .Bind(at + 10, commit.message);
      stmt.Bind(at + 11, commit.files_changed);
      stmt.Bind(at + 12, commit.lines_added);
      stmt.Bind(at + 13, commit.lines_deleted);
    }
    LEADLINE_RETURN_IF_ERROR(stmt.Run());
    inserted += db.Changes();
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto count,
      db.Prepare("UPDATE repositories SET commit_count = commit_count + ? WHERE id = ?"));
  LEADLINE_RETURN_IF_ERROR(count.Bind(1, inserted).Bind(2, repo_id).Run());
  return inserted;
}

Result<std::string> LoadHistoryVersion(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT history_version, commit_count FROM repositories WHERE id = ?"));
  stmt.Bind(1, repo_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row) return Status::NotFound("no repository " + std::to_string(repo_id));
  const std::string version(stmt.ColumnText(0));
  if (version.empty()) return version;  // never written by InsertCommits: no version
  return version + "/" + std::to_string(stmt.ColumnInt(1));
}

Result<std::vector<std::string>> LoadCommitShas(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT sha FROM commits WHERE repo_id = ?"));
  stmt.Bind(1, repo_id);
  std::vector<std::string> shas;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    shas.emplace_back(stmt.ColumnText(0));
  }
  return shas;
}

Status ForEachCommit(Connection& db, std::int64_t repo_id,
                     const std::function<void(const CommitView&)>& visit) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt, db.Prepare("SELECT sha, parent_shas, author_time, committer_time, message, "
                            "author_email FROM commits WHERE repo_id = ?"));
  stmt.Bind(1, repo_id);
  CommitView view;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    view.sha = stmt.ColumnText(0);
    view.parent_shas = stmt.ColumnText(1);
    view.author_time = stmt.ColumnInt(2);
    view.committer_time = stmt.ColumnInt(3);
    view.message = stmt.ColumnText(4);
    view.author_email = stmt.ColumnText(5);
    visit(view);
  }
  return Status::Ok();
}

Result<std::vector<Ref>> LoadRefs(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT name, kind, target_sha, tag_time FROM refs "
                                       "WHERE repo_id = ? ORDER BY kind, name"));
  stmt.Bind(1, repo_id);
  std::vector<Ref> refs;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    Ref ref;
    ref.name = std::string(stmt.ColumnText(0));
    ref.kind = stmt.ColumnText(1) == "tag" ? RefKind::kTag : RefKind::kBranch;
    ref.target_sha = std::string(stmt.ColumnText(2));
    if (!stmt.ColumnIsNull(3)) ref.tag_time = stmt.ColumnInt(3);
    refs.push_back(std::move(ref));
  }
  return refs;
}

Status ReplaceRefs(Connection& db, std::int64_t repo_id, const std::vector<Ref>& refs) {
  LEADLINE_ASSIGN_OR_RETURN(auto clear, db.Prepare("DELETE FROM refs WHERE repo_id = ?"));
  LEADLINE_RETURN_IF_ERROR(clear.Bind(1, repo_id).Run());
  return InsertInBatches(db, "INSERT INTO refs (repo_id, name, kind, target_sha, tag_time) VALUES",
                         5, "", refs,
                         [repo_id](Statement& insert, const Ref& ref, int at) {
                           insert.Bind(at, repo_id)
                               .Bind(at + 1, ref.name)
                               .Bind(at + 2, std::string_view(model::RefKindName(ref.kind)))
                               .Bind(at + 3, ref.target_sha)
                               .Bind(at + 4, ref.tag_time);
                         })
      .status();
}

Result<std::vector<Deployment>> LoadDeployments(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT id, natural_key, source, environment, ref, sha, finished_at, status "
                 "FROM deployments WHERE repo_id = ? ORDER BY finished_at, ref, id"));
  stmt.Bind(1, repo_id);
  std::vector<Deployment> deployments;
  for (;;) {
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    Deployment d;
    d.id = stmt.ColumnInt(0);
    d.natural_key = std::string(stmt.ColumnText(1));
    d.source = std::string(stmt.ColumnText(2));
    d.environment = std::string(stmt.ColumnText(3));
    d.ref = std::string(stmt.ColumnText(4));
    d.sha = std::string(stmt.ColumnText(5));
    d.finished_at = stmt.ColumnInt(6);
    d.status =
        stmt.ColumnText(7) == "failure" ? DeploymentStatus::kFailure : DeploymentStatus::kSuccess;
    deployments.push_back(std::move(d));
  }
  return deployments;
}

Result<bool> ReplaceDeployments(Connection& db, std::int64_t repo_id,
                                const std::vector<Deployment>& deployments) {
  LEADLINE_ASSIGN_OR_RETURN(std::vector<Deployment> stored, LoadDeployments(db, repo_id));
  std::map<std::string, const Deployment*> wanted;
  for (const Deployment& d : deployments) wanted[d.natural_key] = &d;
  bool changed = false;
  LEADLINE_ASSIGN_OR_RETURN(auto remove, db.Prepare("DELETE FROM deployments WHERE id = ?"));
  for (const Deployment& d : stored) {
    auto it = wanted.find(d.natural_key);
    Deployment comparable = it == wanted.end() ? Deployment{} : *it->second;
    comparable.id = d.id;
    if (it != wanted.end() && comparable == d) {
      wanted.erase(it);  // unchanged: keep it and its changes
      continue;
    }
    LEADLINE_RETURN_IF_ERROR(remove.Bind(1, d.id).Run());
    changed = true;
  }
  LEADLINE_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT INTO deployments (repo_id, natural_key, source, environment, ref, sha, "
                 "finished_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const auto& [key, d] : wanted) {
    insert.Bind(1, repo_id)
        .Bind(2, d->natural_key)
        .Bind(3, d->source)
        .Bind(4, d->environment)
        .Bind(5, d->ref)
        .Bind(6, d->sha)
        .Bind(7, d->finished_at)
        .Bind(8, std::string_view(model::DeploymentStatusName(d->status)));
    LEADLINE_RETURN_IF_ERROR(insert.Run());
    changed = true;
  }
  return changed;
}

Status ReplaceDeploymentChanges(Connection& db, std::int64_t repo_id,
                                const std::vector<model::DeploymentChange>& changes,
                                const std::string& basis) {
  LEADLINE_ASSIGN_OR_RETURN(auto clear,
                            db.Prepare("DELETE FROM deployment_changes WHERE deployment_id IN "
                                       "(SELECT id FROM deployments WHERE repo_id = ?)"));
  LEADLINE_RETURN_IF_ERROR(clear.Bind(1, repo_id).Run());
  LEADLINE_RETURN_IF_ERROR(
      InsertInBatches(db, "INSERT INTO deployment_changes (deployment_id, sha, credited) VALUES", 3,
                      "", changes,
                      [](Statement& insert, const model::DeploymentChange& change, int at) {
                        insert.Bind(at, change.deployment_id)
                            .Bind(at + 1, change.sha)
                            .Bind(at + 2, std::int64_t{change.credited ? 1 : 0});
                      })
          .status());
  LEADLINE_ASSIGN_OR_RETURN(auto record,
                            db.Prepare("UPDATE repositories SET changes_basis = ? WHERE id = ?"));
  return record.Bind(1, basis).Bind(2, repo_id).Run();
}

Result<std::string> DeploymentChangesBasis(Connection& db, std::int64_t repo_id) {
  LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                            db.Prepare("SELECT changes_basis FROM repositories WHERE id = ?"));
  stmt.Bind(1, repo_id);
  LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? std::string(stmt.ColumnText(0)) : std::string();
}

}  // namespace leadline::store::sql
