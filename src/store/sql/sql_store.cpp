#include "store/sql/sql_store.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "store/sql/access_rows.h"
#include "store/sql/analytics_rows.h"
#include "store/sql/batch_insert.h"
#include "store/sql/change_event_rows.h"
#include "store/sql/coordination_rows.h"
#include "store/sql/feedback_rows.h"
#include "store/sql/incident_rows.h"
#include "store/sql/incident_service_rows.h"
#include "store/sql/looker_rows.h"
#include "store/sql/migrator.h"
#include "store/sql/platform_rows.h"
#include "store/sql/request_budget_rows.h"
#include "store/sql/session_rows.h"
#include "store/sql/webhook_rows.h"

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

class SqlStore final : public Store, public Coordination, public Analytics, public WebhookInbox {
 public:
  explicit SqlStore(std::unique_ptr<Connection> connection)
      : connection_(std::move(connection)),
        db_(*connection_),
        feedback_(db_),
        change_events_(db_) {}

  Result<int> SchemaVersion() override { return sql::SchemaVersion(db_); }

  Status DeferCheckpoints() override { return db_.DeferCheckpoints(); }
  Status Checkpoint() override { return db_.Checkpoint(); }

  Status Begin() override { return db_.Begin(); }
  Status Commit() override { return db_.Commit(); }
  void Rollback() override { db_.Rollback(); }

  Coordination& coordination() override { return *this; }
  Analytics& analytics() override { return *this; }
  FeedbackOutbox& feedback() override { return feedback_; }
  ChangeEventOutbox& change_events() override { return change_events_; }
  WebhookInbox& webhook_inbox() override { return *this; }

  // Analytics
  Result<std::map<std::string, std::string>> LoadAnalyticsDigests() override {
    return sql::LoadAnalyticsDigests(db_);
  }
  Status LockAnalyticsForRefresh() override { return sql::LockAnalyticsForRefresh(db_); }
  Status DeleteAnalyticsScope(const AnalyticsScope& scope) override {
    return sql::DeleteAnalyticsScope(db_, scope);
  }
  Status InsertAnalyticsRows(const AnalyticsTable& table,
                             std::span<const AnalyticsRow> rows) override {
    return sql::InsertAnalyticsRows(db_, table, rows);
  }
  Status SetAnalyticsDigest(const AnalyticsScope& scope, const std::string& digest) override {
    return sql::SetAnalyticsDigest(db_, scope, digest);
  }
  Status RecordAnalyticsRefresh(const AnalyticsRefreshRecord& record) override {
    return sql::RecordAnalyticsRefresh(db_, record);
  }
  Result<std::optional<AnalyticsRefreshRecord>> LastAnalyticsRefresh() override {
    return sql::LastAnalyticsRefresh(db_);
  }
  Result<std::vector<AnalyticsRow>> ReadAnalyticsRows(const AnalyticsTable& table,
                                                      const AnalyticsFilter& filter) override {
    return sql::ReadAnalyticsRows(db_, table, filter);
  }
  Status SaveLookerConnection(const LookerConnection& connection) override {
    return sql::SaveLookerConnection(db_, connection);
  }
  Result<std::optional<LookerConnection>> LoadLookerConnection() override {
    return sql::LoadLookerConnection(db_);
  }
  Status RecordLookerTrigger(common::UnixSeconds at, const std::string& outcome) override {
    return sql::RecordLookerTrigger(db_, at, outcome);
  }

  // Coordination
  Result<bool> ClaimDueJob(const std::string& name, const std::string& owner,
                           common::UnixSeconds now, common::UnixSeconds until,
                           common::UnixSeconds first_due_at) override {
    return sql::ClaimDueJob(db_, name, owner, now, until, first_due_at);
  }
  Result<bool> RenewJob(const std::string& name, const std::string& owner,
                        common::UnixSeconds until) override {
    return sql::RenewJob(db_, name, owner, until);
  }
  Status FinishJob(const std::string& name, const std::string& owner,
                   common::UnixSeconds started_at, common::UnixSeconds finished_at,
                   const Status& outcome, common::UnixSeconds next_due_at) override {
    return sql::FinishJob(db_, name, owner, started_at, finished_at, outcome, next_due_at);
  }
  Result<std::optional<JobState>> LoadJob(const std::string& name) override {
    return sql::LoadJob(db_, name);
  }
  Status LockRepository(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(const std::string scope, LockScope());
    return sql::LockRepository(db_, scope, repo_id);
  }
  Status UnlockRepository(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(const std::string scope, LockScope());
    return sql::UnlockRepository(db_, scope, repo_id);
  }
  Status Announce(std::string_view topic) override { return sql::Announce(db_, topic); }

  Result<std::optional<model::Repository>> FindRepository(const std::string& source,
                                                          const std::string& location) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("SELECT id, name, default_branch FROM repositories "
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

  Result<std::int64_t> UpsertRepository(const model::Repository& repo) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare(
            "INSERT INTO repositories (source, location, name, default_branch, "
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

  Result<std::vector<model::Repository>> LoadConnectedRepositories() override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("SELECT id, source, location, name, default_branch, connection_id, "
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

  Status SetVisible(std::int64_t repo_id, bool visible) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("UPDATE repositories SET visible = ? WHERE id = ?"));
    return stmt.Bind(1, std::int64_t{visible ? 1 : 0}).Bind(2, repo_id).Run();
  }

  Status SetSyncedAt(std::int64_t repo_id, common::UnixSeconds at) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("UPDATE repositories SET synced_at = ? WHERE id = ?"));
    return stmt.Bind(1, at).Bind(2, repo_id).Run();
  }

  Status SetWebhookId(std::int64_t repo_id, const std::string& webhook_id) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("UPDATE repositories SET webhook_id = ? WHERE id = ?"));
    return stmt.Bind(1, webhook_id).Bind(2, repo_id).Run();
  }

  Status SetSelected(std::int64_t repo_id, bool selected) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("UPDATE repositories SET selected = ? WHERE id = ?"));
    return stmt.Bind(1, std::int64_t{selected ? 1 : 0}).Bind(2, repo_id).Run();
  }

  Result<std::int64_t> CountCommits(std::int64_t repo_id) override {
    return CountWhere("SELECT commit_count FROM repositories WHERE id = ?", repo_id);
  }

  Result<std::int64_t> InsertCommits(std::int64_t repo_id,
                                     const std::vector<model::Commit>& commits) override {
    std::int64_t inserted = 0;
    if (commits.empty()) return inserted;
    // A new version before the rows: a snapshot built from the history before (app/
    // snapshot_cache.h) is never taken for the history after, even if the inserts below were
    // committed apart from this update and the process stopped between them.
    LEADLINE_ASSIGN_OR_RETURN(
        auto version, db_.Prepare("UPDATE repositories SET history_version = ? WHERE id = ?"));
    const std::string new_version = NewHistoryVersion();
    LEADLINE_RETURN_IF_ERROR(version.Bind(1, new_version).Bind(2, repo_id).Run());
    // In statements of many rows (batch_insert.h), with the joined parents kept until each runs.
    std::vector<std::string> parents(kRowsPerInsert);
    for (std::size_t start = 0; start < commits.size(); start += kRowsPerInsert) {
      const std::size_t rows = std::min(kRowsPerInsert, commits.size() - start);
      LEADLINE_ASSIGN_OR_RETURN(
          auto stmt,
          db_.PrepareCached(MultiRowInsertSql(
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
      inserted += db_.Changes();
    }
    LEADLINE_ASSIGN_OR_RETURN(
        auto count,
        db_.Prepare("UPDATE repositories SET commit_count = commit_count + ? WHERE id = ?"));
    LEADLINE_RETURN_IF_ERROR(count.Bind(1, inserted).Bind(2, repo_id).Run());
    return inserted;
  }

  Result<std::string> LoadHistoryVersion(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("SELECT history_version, commit_count FROM repositories WHERE id = ?"));
    stmt.Bind(1, repo_id);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return Status::NotFound("no repository " + std::to_string(repo_id));
    const std::string version(stmt.ColumnText(0));
    if (version.empty()) return version;  // never written by InsertCommits: no version
    return version + "/" + std::to_string(stmt.ColumnInt(1));
  }

  Result<std::vector<std::string>> LoadCommitShas(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt, db_.Prepare("SELECT sha FROM commits WHERE repo_id = ?"));
    stmt.Bind(1, repo_id);
    std::vector<std::string> shas;
    for (;;) {
      LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      shas.emplace_back(stmt.ColumnText(0));
    }
    return shas;
  }

  Status ForEachCommit(std::int64_t repo_id,
                       const std::function<void(const CommitView&)>& visit) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("SELECT sha, parent_shas, author_time, committer_time, message, "
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

  Result<std::vector<Ref>> LoadRefs(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("SELECT name, kind, target_sha, tag_time FROM refs "
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

  Status ReplaceRefs(std::int64_t repo_id, const std::vector<Ref>& refs) override {
    LEADLINE_ASSIGN_OR_RETURN(auto clear, db_.Prepare("DELETE FROM refs WHERE repo_id = ?"));
    LEADLINE_RETURN_IF_ERROR(clear.Bind(1, repo_id).Run());
    return InsertInBatches(db_,
                           "INSERT INTO refs (repo_id, name, kind, target_sha, tag_time) VALUES", 5,
                           "", refs,
                           [repo_id](Statement& insert, const Ref& ref, int at) {
                             insert.Bind(at, repo_id)
                                 .Bind(at + 1, ref.name)
                                 .Bind(at + 2, std::string_view(model::RefKindName(ref.kind)))
                                 .Bind(at + 3, ref.target_sha)
                                 .Bind(at + 4, ref.tag_time);
                           })
        .status();
  }

  Result<std::vector<Deployment>> LoadDeployments(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("SELECT id, natural_key, source, environment, ref, sha, finished_at, status "
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

  Result<bool> ReplaceDeployments(std::int64_t repo_id,
                                  const std::vector<Deployment>& deployments) override {
    LEADLINE_ASSIGN_OR_RETURN(std::vector<Deployment> stored, LoadDeployments(repo_id));
    std::map<std::string, const Deployment*> wanted;
    for (const Deployment& d : deployments) wanted[d.natural_key] = &d;
    bool changed = false;
    LEADLINE_ASSIGN_OR_RETURN(auto remove, db_.Prepare("DELETE FROM deployments WHERE id = ?"));
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
        db_.Prepare("INSERT INTO deployments (repo_id, natural_key, source, environment, ref, sha, "
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

  Status ReplaceDeploymentChanges(std::int64_t repo_id,
                                  const std::vector<model::DeploymentChange>& changes,
                                  const std::string& basis) override {
    LEADLINE_ASSIGN_OR_RETURN(auto clear,
                              db_.Prepare("DELETE FROM deployment_changes WHERE deployment_id IN "
                                          "(SELECT id FROM deployments WHERE repo_id = ?)"));
    LEADLINE_RETURN_IF_ERROR(clear.Bind(1, repo_id).Run());
    LEADLINE_RETURN_IF_ERROR(
        InsertInBatches(db_, "INSERT INTO deployment_changes (deployment_id, sha, credited) VALUES",
                        3, "", changes,
                        [](Statement& insert, const model::DeploymentChange& change, int at) {
                          insert.Bind(at, change.deployment_id)
                              .Bind(at + 1, change.sha)
                              .Bind(at + 2, std::int64_t{change.credited ? 1 : 0});
                        })
            .status());
    LEADLINE_ASSIGN_OR_RETURN(
        auto record, db_.Prepare("UPDATE repositories SET changes_basis = ? WHERE id = ?"));
    return record.Bind(1, basis).Bind(2, repo_id).Run();
  }

  Result<std::string> DeploymentChangesBasis(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt,
                              db_.Prepare("SELECT changes_basis FROM repositories WHERE id = ?"));
    stmt.Bind(1, repo_id);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    return row ? std::string(stmt.ColumnText(0)) : std::string();
  }

  Result<std::int64_t> UpsertConnection(const model::Connection& c) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("INSERT INTO connections (name, provider, url, workspace, auth_method, "
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

  Result<std::vector<model::Connection>> LoadConnections() override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("SELECT id, name, provider, url, workspace, auth_method, username, "
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
        return Status::DatabaseError(
            "the stored connection '" + c.name + "' has an unknown provider '" +
            std::string(stmt.ColumnText(2)) + "': it was written by a newer Leadline");
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

  Status RecordConnectionCheck(std::int64_t connection_id, common::UnixSeconds at,
                               const std::string& outcome) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("UPDATE connections SET checked_at = ?, check_outcome = ? WHERE id = ?"));
    return stmt.Bind(1, at).Bind(2, outcome).Bind(3, connection_id).Run();
  }

  Result<std::int64_t> UpsertPullRequests(std::int64_t repo_id,
                                          const std::vector<model::PullRequest>& prs) override {
    // The WHERE clause skips rows that would not change, so `changes()` counts real updates. A
    // page's pull requests go in one statement (a number that repeats starts another).
    return UpsertInBatches(
        db_,
        "INSERT INTO pull_requests (repo_id, number, title, state, author_id, author_name, "
        "source_branch, target_branch, source_commit, merge_commit, created_at, updated_at, "
        "closed_at, closed_by, comment_count, draft, target_commit) VALUES",
        17,
        "ON CONFLICT (repo_id, number) DO "
        "UPDATE SET title = excluded.title, state = excluded.state, author_id = "
        "excluded.author_id, author_name = excluded.author_name, source_branch = "
        "excluded.source_branch, target_branch = excluded.target_branch, source_commit = "
        "excluded.source_commit, merge_commit = excluded.merge_commit, created_at = "
        "excluded.created_at, updated_at = excluded.updated_at, closed_at = "
        "excluded.closed_at, closed_by = excluded.closed_by, comment_count = "
        "excluded.comment_count, draft = excluded.draft, target_commit = "
        "excluded.target_commit WHERE pull_requests.updated_at IS DISTINCT FROM "
        "excluded.updated_at OR "
        "pull_requests.state IS DISTINCT FROM excluded.state OR pull_requests.comment_count IS "
        "DISTINCT FROM "
        "excluded.comment_count OR pull_requests.target_commit IS DISTINCT FROM "
        "excluded.target_commit",
        prs,
        [](const model::PullRequest& a, const model::PullRequest& b) {
          return a.number == b.number;
        },
        [repo_id](Statement& stmt, const model::PullRequest& pr, int at) {
          stmt.Bind(at, repo_id)
              .Bind(at + 1, pr.number)
              .Bind(at + 2, pr.title)
              .Bind(at + 3, std::string_view(model::PullRequestStateName(pr.state)))
              .Bind(at + 4, pr.author.id)
              .Bind(at + 5, pr.author.name)
              .Bind(at + 6, pr.source_branch)
              .Bind(at + 7, pr.target_branch)
              .Bind(at + 8, pr.source_commit);
          stmt.Bind(at + 9, pr.merge_commit);
          stmt.Bind(at + 10, pr.created_at).Bind(at + 11, pr.updated_at);
          stmt.Bind(at + 12, pr.closed_at);
          stmt.Bind(at + 13, pr.closed_by);
          stmt.Bind(at + 14, std::int64_t{pr.comment_count})
              .Bind(at + 15, std::int64_t{pr.draft ? 1 : 0});
          stmt.Bind(at + 16, pr.target_commit);
        });
  }

  Result<std::vector<model::PullRequest>> LoadPullRequests(std::int64_t repo_id) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("SELECT number, title, state, author_id, author_name, source_branch, "
                    "target_branch, source_commit, merge_commit, created_at, updated_at, "
                    "closed_at, closed_by, comment_count, draft, files_changed, lines_added, "
                    "lines_deleted, target_commit, branch_commits, branch_first_commit_at, "
                    "branch_commit_email FROM pull_requests WHERE repo_id = ? ORDER BY number"));
    stmt.Bind(1, repo_id);
    std::vector<model::PullRequest> out;
    for (;;) {
      LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      model::PullRequest pr;
      pr.number = stmt.ColumnInt(0);
      pr.title = std::string(stmt.ColumnText(1));
      for (model::PullRequestState state : model::kPullRequestStates) {
        if (stmt.ColumnText(2) == model::PullRequestStateName(state)) pr.state = state;
      }
      pr.author = {std::string(stmt.ColumnText(3)), std::string(stmt.ColumnText(4))};
      pr.source_branch = std::string(stmt.ColumnText(5));
      pr.target_branch = std::string(stmt.ColumnText(6));
      pr.source_commit = std::string(stmt.ColumnText(7));
      if (!stmt.ColumnIsNull(8)) pr.merge_commit = std::string(stmt.ColumnText(8));
      pr.created_at = stmt.ColumnInt(9);
      pr.updated_at = stmt.ColumnInt(10);
      if (!stmt.ColumnIsNull(11)) pr.closed_at = stmt.ColumnInt(11);
      if (!stmt.ColumnIsNull(12)) pr.closed_by = std::string(stmt.ColumnText(12));
      pr.comment_count = static_cast<int>(stmt.ColumnInt(13));
      pr.draft = stmt.ColumnInt(14) != 0;
      if (!stmt.ColumnIsNull(15)) {
        pr.size = model::DiffStats{static_cast<int>(stmt.ColumnInt(15)),
                                   static_cast<int>(stmt.ColumnInt(16)),
                                   static_cast<int>(stmt.ColumnInt(17))};
      }
      pr.target_commit = std::string(stmt.ColumnText(18));
      if (!stmt.ColumnIsNull(19)) {
        pr.branch_commits = model::BranchCommits{static_cast<int>(stmt.ColumnInt(19)),
                                                 stmt.ColumnIsNull(20) ? 0 : stmt.ColumnInt(20),
                                                 std::string(stmt.ColumnText(21))};
      }
      out.push_back(std::move(pr));
    }
    return out;
  }

  Status SetPullRequestSizes(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::DiffStats>>& sizes) override {
    // Statements of many sizes; a number given twice ends with its last size.
    using Size = std::pair<std::int64_t, model::DiffStats>;
    return UpdateInBatches(
        db_,
        "UPDATE pull_requests SET files_changed = v.column2, lines_added = v.column3, "
        "lines_deleted = v.column4 FROM (VALUES",
        {"BIGINT", "BIGINT", "BIGINT", "BIGINT"},
        ") AS v WHERE pull_requests.repo_id = ? AND pull_requests.number = v.column1", sizes,
        [](const Size& a, const Size& b) { return a.first == b.first; },
        [](Statement& stmt, const Size& item, int at) {
          const auto& [number, size] = item;
          stmt.Bind(at, number)
              .Bind(at + 1, std::int64_t{size.files_changed})
              .Bind(at + 2, std::int64_t{size.lines_added})
              .Bind(at + 3, std::int64_t{size.lines_deleted});
        },
        [repo_id](Statement& stmt, int at) { stmt.Bind(at, repo_id); });
  }

  Status SetPullRequestBranchCommits(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::BranchCommits>>& commits) override {
    using Listed = std::pair<std::int64_t, model::BranchCommits>;
    return UpdateInBatches(
        db_,
        "UPDATE pull_requests SET branch_commits = v.column2, branch_first_commit_at = "
        "v.column3, branch_commit_email = v.column4 FROM (VALUES",
        {"BIGINT", "BIGINT", "TIMESTAMPTZ", "TEXT"},  // SQLite keeps the time as its integer
        ") AS v WHERE pull_requests.repo_id = ? AND pull_requests.number = v.column1", commits,
        [](const Listed& a, const Listed& b) { return a.first == b.first; },
        [](Statement& stmt, const Listed& item, int at) {
          const auto& [number, read] = item;
          stmt.Bind(at, number).Bind(at + 1, std::int64_t{read.count});
          if (read.count > 0) {
            stmt.Bind(at + 2, read.first_authored_at);
          } else {
            stmt.BindNull(at + 2);
          }
          stmt.Bind(at + 3, read.author_email);
        },
        [repo_id](Statement& stmt, int at) { stmt.Bind(at, repo_id); });
  }

  Result<std::int64_t> InsertPullRequestActivity(
      std::int64_t repo_id, const std::vector<model::PullRequestActivity>& activity) override {
    return sql::InsertPullRequestActivity(db_, repo_id, activity);
  }
  Result<std::vector<model::PullRequestActivity>> LoadPullRequestActivity(
      std::int64_t repo_id) override {
    return sql::LoadPullRequestActivity(db_, repo_id);
  }
  Result<std::int64_t> UpsertPipelines(std::int64_t repo_id,
                                       const std::vector<model::Pipeline>& pipelines) override {
    return sql::UpsertPipelines(db_, repo_id, pipelines);
  }
  Result<std::vector<model::Pipeline>> LoadPipelines(std::int64_t repo_id) override {
    return sql::LoadPipelines(db_, repo_id);
  }
  Status UpsertEnvironments(std::int64_t repo_id,
                            const std::vector<model::Environment>& environments) override {
    return sql::UpsertEnvironments(db_, repo_id, environments);
  }
  Result<std::vector<model::Environment>> LoadEnvironments(std::int64_t repo_id) override {
    return sql::LoadEnvironments(db_, repo_id);
  }
  Result<std::int64_t> UpsertPlatformDeployments(
      std::int64_t repo_id, const std::vector<model::PlatformDeployment>& deployments) override {
    return sql::UpsertPlatformDeployments(db_, repo_id, deployments);
  }
  Result<std::vector<model::PlatformDeployment>> LoadPlatformDeployments(
      std::int64_t repo_id) override {
    return sql::LoadPlatformDeployments(db_, repo_id);
  }

  Result<std::int64_t> UpsertIncidents(const std::vector<model::Incident>& incidents) override {
    return sql::UpsertIncidents(db_, incidents);
  }
  Result<std::optional<model::Incident>> FindIncident(const std::string& source,
                                                      const std::string& id) override {
    return sql::FindIncident(db_, source, id);
  }
  Result<std::vector<model::Incident>> LoadIncidents() override { return sql::LoadIncidents(db_); }
  Status UpsertIncidentServices(std::int64_t connection_id,
                                const std::vector<model::IncidentService>& services) override {
    return sql::UpsertIncidentServices(db_, connection_id, services);
  }
  Result<std::vector<model::IncidentService>> LoadIncidentServices(
      std::int64_t connection_id) override {
    return sql::LoadIncidentServices(db_, connection_id);
  }
  Result<bool> MapIncidentService(std::int64_t connection_id, const std::string& service_id,
                                  const std::string& repos) override {
    return sql::MapIncidentService(db_, connection_id, service_id, repos);
  }
  Result<std::optional<model::IncidentConnectionState>> LoadIncidentConnection(
      std::int64_t connection_id) override {
    return sql::LoadIncidentConnection(db_, connection_id);
  }
  Status SaveIncidentCounts(std::int64_t connection_id,
                            const std::vector<std::string>& counts) override {
    return sql::SaveIncidentCounts(db_, connection_id, counts);
  }
  Status SaveIncidentCursor(std::int64_t connection_id, const std::string& cursor) override {
    return sql::SaveIncidentCursor(db_, connection_id, cursor);
  }

  Result<std::int64_t> SaveProject(const model::Project& project) override {
    return sql::SaveProject(db_, project);
  }
  Result<std::vector<model::Project>> LoadProjects() override { return sql::LoadProjects(db_); }
  Result<bool> DeleteProject(const std::string& name) override {
    return sql::DeleteProject(db_, name);
  }
  Result<std::int64_t> InsertApiToken(const model::ApiToken& token) override {
    return sql::InsertApiToken(db_, token);
  }
  Result<std::vector<model::ApiToken>> LoadApiTokens() override { return sql::LoadApiTokens(db_); }
  Result<bool> RevokeApiToken(const std::string& name, common::UnixSeconds at) override {
    return sql::RevokeApiToken(db_, name, at);
  }
  Status TouchApiToken(std::int64_t id, common::UnixSeconds at) override {
    return sql::TouchApiToken(db_, id, at);
  }
  Status AppendAudit(const std::vector<model::AuditEntry>& entries) override {
    return sql::AppendAudit(db_, entries);
  }
  Result<std::vector<model::AuditEntry>> LoadAudit(std::size_t limit) override {
    return sql::LoadAudit(db_, limit);
  }
  Status AddAuditRefusals(const std::vector<model::AuditRefusal>& refusals) override {
    return sql::AddAuditRefusals(db_, refusals);
  }
  Result<std::vector<model::AuditRefusal>> LoadAuditRefusals(std::size_t limit) override {
    return sql::LoadAuditRefusals(db_, limit);
  }
  Status SaveSignInAttempt(const model::SignInAttempt& attempt, common::UnixSeconds expired_before,
                           std::int64_t most) override {
    return sql::SaveSignInAttempt(db_, attempt, expired_before, most);
  }
  Result<std::optional<model::SignInAttempt>> TakeSignInAttempt(
      const std::string& state_hash, common::UnixSeconds expired_before) override {
    return sql::TakeSignInAttempt(db_, state_hash, expired_before);
  }
  Result<std::int64_t> InsertSession(const model::PersonSession& session) override {
    return sql::InsertSession(db_, session);
  }
  Result<std::optional<model::PersonSession>> LoadSession(const std::string& secret_hash) override {
    return sql::LoadSession(db_, secret_hash);
  }
  Status TouchSession(std::int64_t id, common::UnixSeconds at) override {
    return sql::TouchSession(db_, id, at);
  }
  Result<std::vector<model::PersonSession>> LoadSessions(common::UnixSeconds now) override {
    return sql::LoadSessions(db_, now);
  }
  Result<std::int64_t> RevokeSessions(std::optional<std::int64_t> id, const std::string& person,
                                      common::UnixSeconds at) override {
    return sql::RevokeSessions(db_, id, person, at);
  }
  Result<std::int64_t> PruneAudit(common::UnixSeconds before) override {
    return sql::PruneAudit(db_, before);
  }

  Result<bool> InsertDelivery(const model::WebhookDelivery& delivery) override {
    return sql::InsertDelivery(db_, delivery);
  }
  std::vector<Result<bool>> InsertDeliveries(
      const std::vector<const model::WebhookDelivery*>& deliveries) override {
    return sql::InsertDeliveries(db_, deliveries);
  }
  Result<std::vector<model::WebhookDelivery>> ClaimDeliveries(const std::string& owner,
                                                              common::UnixSeconds now,
                                                              common::UnixSeconds until,
                                                              std::size_t limit) override {
    return sql::ClaimDeliveries(db_, owner, now, until, limit);
  }
  Status RenewDeliveryClaims(const std::string& owner, common::UnixSeconds until) override {
    return sql::RenewDeliveryClaims(db_, owner, until);
  }
  Status ReleaseDeliveryClaims(const std::string& owner) override {
    return sql::ReleaseDeliveryClaims(db_, owner);
  }
  Result<std::int64_t> MarkDeliveriesApplied(const std::vector<std::int64_t>& ids,
                                             const std::string& owner, common::UnixSeconds at,
                                             const std::string& outcome) override {
    return sql::MarkDeliveriesApplied(db_, ids, owner, at, outcome);
  }
  Result<std::int64_t> CountUnappliedDeliveries() override {
    return sql::CountUnappliedDeliveries(db_);
  }
  Result<std::int64_t> PruneDeliveryBodies(common::UnixSeconds received_before) override {
    return sql::PruneDeliveryBodies(db_, received_before);
  }
  Result<std::int64_t> PruneDeliveryRows(common::UnixSeconds received_before) override {
    return sql::PruneDeliveryRows(db_, received_before);
  }
  Result<std::int64_t> DropSupersededNewestApplied() override {
    return sql::DropSupersededNewestApplied(db_);
  }
  Result<std::optional<model::WebhookDelivery>> FindDelivery(
      const std::string& delivery_id) override {
    return sql::FindDelivery(db_, delivery_id);
  }
  Result<std::optional<model::WebhookDelivery>> LastDelivery(std::int64_t connection_id) override {
    return sql::LastDelivery(db_, connection_id);
  }
  Result<std::optional<model::WebhookDelivery>> LastDeliveryFor(
      const std::string& repository) override {
    return sql::LastDeliveryFor(db_, repository);
  }
  Status SetWebhookSecret(std::int64_t connection_id, const std::string& sealed) override {
    return sql::SetWebhookSecret(db_, connection_id, sealed);
  }
  Result<std::string> LoadWebhookSecret(std::int64_t connection_id) override {
    return sql::LoadWebhookSecret(db_, connection_id);
  }

  Result<std::string> LoadCursor(std::int64_t repo_id, const std::string& entity) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("SELECT cursor FROM sync_cursors WHERE repo_id = ? AND entity = ?"));
    stmt.Bind(1, repo_id).Bind(2, entity);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    return row ? std::string(stmt.ColumnText(0)) : std::string();
  }

  Status SaveCursor(std::int64_t repo_id, const std::string& entity,
                    const std::string& cursor) override {
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt,
        db_.Prepare("INSERT INTO sync_cursors (repo_id, entity, cursor) VALUES (?, ?, ?) "
                    "ON CONFLICT (repo_id, entity) DO UPDATE SET cursor = excluded.cursor"));
    return stmt.Bind(1, repo_id).Bind(2, entity).Bind(3, cursor).Run();
  }

  Result<RequestGrant> ReserveRequests(const RequestAsk& ask) override {
    return sql::ReserveRequests(db_, ask);
  }

 private:
  static Result<model::AuthMethod> ParseAuthMethod(std::string_view name) {
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

  Result<std::int64_t> CountWhere(std::string_view sql, std::int64_t repo_id) {
    LEADLINE_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql));
    stmt.Bind(1, repo_id);
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    return row ? stmt.ColumnInt(0) : 0;
  }

  // What tells this store's repository locks from another's in the process: SQLite's file.
  Result<std::string> LockScope() {
    if (db_.engine() == Engine::kPostgres || !lock_scope_.empty()) return lock_scope_;
    LEADLINE_ASSIGN_OR_RETURN(
        auto stmt, db_.Prepare("SELECT file FROM pragma_database_list WHERE name = 'main'"));
    LEADLINE_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    lock_scope_ = row ? std::string(stmt.ColumnText(0)) : std::string("main");
    return lock_scope_;
  }

  std::unique_ptr<Connection> connection_;
  Connection& db_;
  FeedbackRows feedback_;
  ChangeEventRows change_events_;
  std::string lock_scope_;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> connection) {
  return std::make_unique<SqlStore>(std::move(connection));
}

}  // namespace leadline::store::sql
