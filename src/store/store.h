// The Store: Leadline's system of record. An interface so that SQLite (the embedded default) and
// PostgreSQL share one contract; the engine never sees it, the ingest and app layers do. Its
// aggregates with interfaces of their own (the webhook inbox, coordination between processes, the
// analytics tables, the feedback and change-event outboxes) are reached through accessors.
//
// Writes that belong together go through one Transaction: either all of a sync lands or none of
// it does, so bad input or a crash leaves the store as it was. A Store is used from one thread at a
// time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/access.h"
#include "model/connection.h"
#include "model/deployment.h"
#include "model/incident.h"
#include "model/incident_service.h"
#include "model/pipeline.h"
#include "model/pull_request.h"
#include "model/repository.h"
#include "model/webhook.h"
#include "store/analytics.h"
#include "store/change_event_outbox.h"
#include "store/coordination.h"
#include "store/feedback_outbox.h"
#include "store/webhook_inbox.h"

namespace leadline::store {

using common::Result;
using common::Status;

// A commit as the engine needs it, streamed without copying strings: the views are valid only
// during the callback.
struct CommitView {
  std::string_view sha;
  std::string_view parent_shas;  // space-separated, first parent first
  common::UnixSeconds author_time = 0;
  common::UnixSeconds committer_time = 0;
  std::string_view message;
  std::string_view author_email;
};

// One ask of a connection's request budget shared through the store (ReserveRequests).
struct RequestAsk {
  std::int64_t connection_id = 0;
  std::int64_t count = 1;     // requests wanted: 1 to per_hour
  std::int64_t per_hour = 0;  // the connection's allowance in any hour: 1 to 10,000,000
  common::UnixSeconds now = 0;
  // The last moment the requests may be sent, from now to ten minutes on: they count from their
  // reservation until an hour after it (see store/sql/request_budget_rows.h).
  common::UnixSeconds send_by = 0;
};

struct RequestGrant {
  bool granted = false;  // all `count` requests, or none
  // When none: the time from which asking again may be granted (later than `now`).
  common::UnixSeconds retry_at = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The schema version this build writes, and the one the open store has.
  virtual Result<int> SchemaVersion() = 0;

  // Write-ahead log checkpoints: by default each connection checkpoints when its commit finds the
  // log long; a connection on a latency-sensitive path defers them to another's Checkpoint().
  virtual Status DeferCheckpoints() = 0;
  // Copies as much of the log as readers allow; a log grown long is restarted, waiting briefly.
  virtual Status Checkpoint() = 0;

  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // Claims, locks and notices between the processes sharing this store, on this connection.
  virtual Coordination& coordination() = 0;
  // The analytics tables BI tools read (store/analytics.h), on this connection.
  virtual Analytics& analytics() = 0;
  // Feedback on pull requests: the repositories that have it on, and the outbox of posts.
  virtual FeedbackOutbox& feedback() = 0;
  // Deployments sent to incident tools as change events: the services that send, and the outbox.
  virtual ChangeEventOutbox& change_events() = 0;
  // The webhook inbox: deliveries kept before their 200, claimed and applied once.
  virtual WebhookInbox& webhook_inbox() = 0;

  virtual Result<std::optional<model::Repository>> FindRepository(const std::string& source,
                                                                  const std::string& location) = 0;
  // Inserts or updates by (source, location); returns the id. Keeps `selected` as stored.
  virtual Result<std::int64_t> UpsertRepository(const model::Repository& repo) = 0;
  // The repositories of every connection, ordered by source and location.
  virtual Result<std::vector<model::Repository>> LoadConnectedRepositories() = 0;
  virtual Status SetSelected(std::int64_t repo_id, bool selected) = 0;
  // Upserting a repository makes it visible again.
  virtual Status SetVisible(std::int64_t repo_id, bool visible) = 0;
  virtual Status SetSyncedAt(std::int64_t repo_id, common::UnixSeconds at) = 0;
  virtual Status SetWebhookId(std::int64_t repo_id, const std::string& webhook_id) = 0;

  virtual Result<std::int64_t> CountCommits(std::int64_t repo_id) = 0;
  // Inserts commits that are not stored yet (by sha); returns how many were new.
  virtual Result<std::int64_t> InsertCommits(std::int64_t repo_id,
                                             const std::vector<model::Commit>& commits) = 0;
  // What names the repository's stored history as it is now: it changes with every insert of
  // commits, so equal versions mean the same commits (a key for caches of what is built from
  // them). Empty for a history no insert has versioned yet.
  virtual Result<std::string> LoadHistoryVersion(std::int64_t repo_id) = 0;
  virtual Result<std::vector<std::string>> LoadCommitShas(std::int64_t repo_id) = 0;
  virtual Status ForEachCommit(std::int64_t repo_id,
                               const std::function<void(const CommitView&)>& visit) = 0;

  virtual Result<std::vector<model::Ref>> LoadRefs(std::int64_t repo_id) = 0;
  // Replaces the repository's refs with `refs`.
  virtual Status ReplaceRefs(std::int64_t repo_id, const std::vector<model::Ref>& refs) = 0;

  // Loads deployments ordered by (finished_at, ref, id).
  virtual Result<std::vector<model::Deployment>> LoadDeployments(std::int64_t repo_id) = 0;
  // Makes the stored deployments equal to `deployments` (matched by natural key, so ids of kept
  // deployments stay stable; deployments no longer present are deleted with their changes).
  // Returns true when anything changed.
  virtual Result<bool> ReplaceDeployments(std::int64_t repo_id,
                                          const std::vector<model::Deployment>& deployments) = 0;

  // Inserts or replaces a connection by name; returns its id.
  virtual Result<std::int64_t> UpsertConnection(const model::Connection& connection) = 0;
  // Every connection, ordered by name.
  virtual Result<std::vector<model::Connection>> LoadConnections() = 0;
  virtual Status RecordConnectionCheck(std::int64_t connection_id, common::UnixSeconds at,
                                       const std::string& outcome) = 0;

  // Inserts or updates pull requests by (repository, number); returns how many rows were new or
  // different (an unchanged pull request written again counts 0).
  virtual Result<std::int64_t> UpsertPullRequests(std::int64_t repo_id,
                                                  const std::vector<model::PullRequest>& prs) = 0;
  virtual Result<std::vector<model::PullRequest>> LoadPullRequests(std::int64_t repo_id) = 0;
  // Records merged pull requests' sizes (by number); upserting a pull request keeps its size.
  virtual Status SetPullRequestSizes(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::DiffStats>>& sizes) = 0;
  // Records what the host lists of merged pull requests' own commits (by number); upserting a
  // pull request keeps them.
  virtual Status SetPullRequestBranchCommits(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::BranchCommits>>& commits) = 0;
  // Inserts activity entries not stored yet (by pull request, time, kind and actor); returns how
  // many were new.
  virtual Result<std::int64_t> InsertPullRequestActivity(
      std::int64_t repo_id, const std::vector<model::PullRequestActivity>& activity) = 0;
  // Ordered by pull request, then time.
  virtual Result<std::vector<model::PullRequestActivity>> LoadPullRequestActivity(
      std::int64_t repo_id) = 0;

  // Inserts or updates by uuid; returns how many rows were new or different.
  virtual Result<std::int64_t> UpsertPipelines(std::int64_t repo_id,
                                               const std::vector<model::Pipeline>& pipelines) = 0;
  // Ordered by creation time.
  virtual Result<std::vector<model::Pipeline>> LoadPipelines(std::int64_t repo_id) = 0;

  virtual Status UpsertEnvironments(std::int64_t repo_id,
                                    const std::vector<model::Environment>& environments) = 0;
  virtual Result<std::vector<model::Environment>> LoadEnvironments(std::int64_t repo_id) = 0;

  // Inserts or updates by uuid; returns how many rows were new or different.
  virtual Result<std::int64_t> UpsertPlatformDeployments(
      std::int64_t repo_id, const std::vector<model::PlatformDeployment>& deployments) = 0;
  // Ordered by start time, each joined with its stored environment's name and type.
  virtual Result<std::vector<model::PlatformDeployment>> LoadPlatformDeployments(
      std::int64_t repo_id) = 0;

  // Incidents are the organisation's, not a repository's, keyed by their source and the
  // source's id. Upserting returns how many were new or changed; loading gives all of them,
  // oldest first.
  virtual Result<std::int64_t> UpsertIncidents(const std::vector<model::Incident>& incidents) = 0;
  virtual Result<std::optional<model::Incident>> FindIncident(const std::string& source,
                                                              const std::string& id) = 0;
  virtual Result<std::vector<model::Incident>> LoadIncidents() = 0;

  // Incident tools' services and their mappings, and each incident connection's counted
  // severities and sync cursor (store/sql/incident_service_rows.h says how each behaves).
  virtual Status UpsertIncidentServices(std::int64_t connection_id,
                                        const std::vector<model::IncidentService>& services) = 0;
  virtual Result<std::vector<model::IncidentService>> LoadIncidentServices(
      std::int64_t connection_id) = 0;
  virtual Result<bool> MapIncidentService(std::int64_t connection_id, const std::string& service_id,
                                          const std::string& repos) = 0;
  virtual Result<std::optional<model::IncidentConnectionState>> LoadIncidentConnection(
      std::int64_t connection_id) = 0;
  virtual Status SaveIncidentCounts(std::int64_t connection_id,
                                    const std::vector<std::string>& counts) = 0;
  virtual Status SaveIncidentCursor(std::int64_t connection_id, const std::string& cursor) = 0;

  // Projects group repositories; saving one replaces its repositories. Returns its id.
  virtual Result<std::int64_t> SaveProject(const model::Project& project) = 0;
  virtual Result<std::vector<model::Project>> LoadProjects() = 0;
  virtual Result<bool> DeleteProject(const std::string& name) = 0;  // false: no such project

  // API tokens: only hashes are stored. Revoking marks the unrevoked token of that name.
  virtual Result<std::int64_t> InsertApiToken(const model::ApiToken& token) = 0;
  virtual Result<std::vector<model::ApiToken>> LoadApiTokens() = 0;
  virtual Result<bool> RevokeApiToken(const std::string& name, common::UnixSeconds at) = 0;
  virtual Status TouchApiToken(std::int64_t id, common::UnixSeconds at) = 0;

  // People's sign-in (store/sql/session_rows.h says more): sign-ins under way, single use, at
  // most `most` at a time; sessions, by the hash of their cookie's secret.
  virtual Status SaveSignInAttempt(const model::SignInAttempt& attempt,
                                   common::UnixSeconds expired_before, std::int64_t most) = 0;
  virtual Result<std::optional<model::SignInAttempt>> TakeSignInAttempt(
      const std::string& state_hash, common::UnixSeconds expired_before) = 0;
  virtual Result<std::int64_t> InsertSession(const model::PersonSession& session) = 0;
  virtual Result<std::optional<model::PersonSession>> LoadSession(
      const std::string& secret_hash) = 0;
  virtual Status TouchSession(std::int64_t id, common::UnixSeconds at) = 0;
  virtual Result<std::vector<model::PersonSession>> LoadSessions(common::UnixSeconds now) = 0;
  // By id, or every session of a person (name or subject); returns how many were revoked.
  virtual Result<std::int64_t> RevokeSessions(std::optional<std::int64_t> id,
                                              const std::string& person,
                                              common::UnixSeconds at) = 0;

  virtual Status AppendAudit(const std::vector<model::AuditEntry>& entries) = 0;
  virtual Result<std::vector<model::AuditEntry>> LoadAudit(std::size_t limit) = 0;
  // Adds each count to the one stored for its minute, client address and reason; the last
  // request's status, method and path replace the stored ones.
  virtual Status AddAuditRefusals(const std::vector<model::AuditRefusal>& refusals) = 0;
  // The newest `limit` refusal counts: the latest minute first, then the largest count.
  virtual Result<std::vector<model::AuditRefusal>> LoadAuditRefusals(std::size_t limit) = 0;
  // Deletes the audit entries made, and the refusal counts of minutes begun, before `before`;
  // returns how many rows. In short transactions, so that request threads wait for none long.
  virtual Result<std::int64_t> PruneAudit(common::UnixSeconds before) = 0;

  // A connection's webhook secret, sealed (auth::SecretBox); empty when none was made.
  virtual Status SetWebhookSecret(std::int64_t connection_id, const std::string& sealed) = 0;
  virtual Result<std::string> LoadWebhookSecret(std::int64_t connection_id) = 0;

  // Where the next sync of `entity` starts; empty when it never ran.
  virtual Result<std::string> LoadCursor(std::int64_t repo_id, const std::string& entity) = 0;
  virtual Status SaveCursor(std::int64_t repo_id, const std::string& entity,
                            const std::string& cursor) = 0;

  // Replaces every deployment change of the repository, and records `basis`: a description of
  // the options they were computed with (e.g. the first deployment's lookback).
  virtual Status ReplaceDeploymentChanges(std::int64_t repo_id,
                                          const std::vector<model::DeploymentChange>& changes,
                                          const std::string& basis) = 0;
  // The basis of the stored deployment changes; empty when none were stored.
  virtual Result<std::string> DeploymentChangesBasis(std::int64_t repo_id) = 0;

  // Request budgets shared by every process on the store: reserves `ask.count` requests of the
  // connection's allowance, or none when they would take it over `ask.per_hour` within an hour.
  // Atomic across processes; outside a transaction, commits at once.
  virtual Result<RequestGrant> ReserveRequests(const RequestAsk& ask) = 0;
};

// Opens the store at `url` (store_url.h: a SQLite path, sqlite:PATH or postgres://...). A SQLite
// file is created if needed and its schema brought up to date, as the embedded default always
// did; a PostgreSQL store must already be at this build's schema version (`leadline migrate`, or
// `serve` at its start), and one behind says so.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

// Applies the pending migrations of the store at `url` (under PostgreSQL's migration lock, so that
// servers starting together migrate once) and returns them, oldest first; none when current.
struct AppliedMigration {
  int version;
  std::string description;
};
Result<std::vector<AppliedMigration>> MigrateStore(const std::string& url);

// Rolls back on destruction unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(Store& store) : store_(store) {}
  ~Transaction() {
    if (open_) store_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin() {
    LEADLINE_RETURN_IF_ERROR(store_.Begin());
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    open_ = false;
    return store_.Commit();
  }

 private:
  Store& store_;
  bool open_ = false;
};

}  // namespace leadline::store
