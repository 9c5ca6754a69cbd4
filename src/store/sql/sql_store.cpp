#include "store/sql/sql_store.h"

#include "store/sql/access_rows.h"
#include "store/sql/analytics_rows.h"
#include "store/sql/change_event_rows.h"
#include "store/sql/connection_rows.h"
#include "store/sql/coordination_rows.h"
#include "store/sql/feedback_rows.h"
#include "store/sql/history_rows.h"
#include "store/sql/incident_rows.h"
#include "store/sql/incident_service_rows.h"
#include "store/sql/looker_rows.h"
#include "store/sql/migrator.h"
#include "store/sql/platform_rows.h"
#include "store/sql/pull_request_rows.h"
#include "store/sql/repository_rows.h"
#include "store/sql/request_budget_rows.h"
#include "store/sql/session_rows.h"
#include "store/sql/webhook_rows.h"

namespace leadline::store::sql {
namespace {

// Each aggregate's interface is this one object: its methods pass the connection to that
// aggregate's row functions.
class SqlStore final : public Store,
                       public Coordination,
                       public Analytics,
                       public WebhookInbox,
                       public Repositories,
                       public SyncCursors,
                       public History,
                       public Connections,
                       public PullRequests,
                       public Pipelines,
                       public Incidents,
                       public Access,
                       public Sessions,
                       public AuditLog {
 public:
  explicit SqlStore(std::unique_ptr<Connection> connection)
      : connection_(std::move(connection)),
        db_(*connection_),
        feedback_(db_),
        change_events_(db_) {}

  Result<int> SchemaVersion() override { return sql::SchemaVersion(db_); }

  Status DeferMaintenance() override { return db_.DeferCheckpoints(); }
  Status Maintain() override { return db_.Checkpoint(); }

  Coordination& coordination() override { return *this; }
  Analytics& analytics() override { return *this; }
  FeedbackOutbox& feedback() override { return feedback_; }
  ChangeEventOutbox& change_events() override { return change_events_; }
  WebhookInbox& webhook_inbox() override { return *this; }
  Repositories& repositories() override { return *this; }
  SyncCursors& cursors() override { return *this; }
  History& history() override { return *this; }
  Connections& connections() override { return *this; }
  PullRequests& pull_requests() override { return *this; }
  Pipelines& pipelines() override { return *this; }
  Incidents& incidents() override { return *this; }
  Access& access() override { return *this; }
  Sessions& sessions() override { return *this; }
  AuditLog& audit() override { return *this; }

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
    return sql::FindRepository(db_, source, location);
  }

  Result<std::int64_t> UpsertRepository(const model::Repository& repo) override {
    return sql::UpsertRepository(db_, repo);
  }

  Result<std::vector<model::Repository>> LoadConnectedRepositories() override {
    return sql::LoadConnectedRepositories(db_);
  }

  Status SetVisible(std::int64_t repo_id, bool visible) override {
    return sql::SetVisible(db_, repo_id, visible);
  }

  Status SetSyncedAt(std::int64_t repo_id, common::UnixSeconds at) override {
    return sql::SetSyncedAt(db_, repo_id, at);
  }

  Status SetWebhookId(std::int64_t repo_id, const std::string& webhook_id) override {
    return sql::SetWebhookId(db_, repo_id, webhook_id);
  }

  Status SetSelected(std::int64_t repo_id, bool selected) override {
    return sql::SetSelected(db_, repo_id, selected);
  }

  Result<std::int64_t> CountCommits(std::int64_t repo_id) override {
    return sql::CountCommits(db_, repo_id);
  }

  Result<std::int64_t> InsertCommits(std::int64_t repo_id,
                                     const std::vector<model::Commit>& commits) override {
    return sql::InsertCommits(db_, repo_id, commits);
  }

  Result<std::string> LoadHistoryVersion(std::int64_t repo_id) override {
    return sql::LoadHistoryVersion(db_, repo_id);
  }

  Result<std::vector<std::string>> LoadCommitShas(std::int64_t repo_id) override {
    return sql::LoadCommitShas(db_, repo_id);
  }

  Status ForEachCommit(std::int64_t repo_id,
                       const std::function<void(const CommitView&)>& visit) override {
    return sql::ForEachCommit(db_, repo_id, visit);
  }

  Result<std::vector<model::Ref>> LoadRefs(std::int64_t repo_id) override {
    return sql::LoadRefs(db_, repo_id);
  }

  Status ReplaceRefs(std::int64_t repo_id, const std::vector<model::Ref>& refs) override {
    return sql::ReplaceRefs(db_, repo_id, refs);
  }

  Result<std::vector<model::Deployment>> LoadDeployments(std::int64_t repo_id) override {
    return sql::LoadDeployments(db_, repo_id);
  }

  Result<bool> ReplaceDeployments(std::int64_t repo_id,
                                  const std::vector<model::Deployment>& deployments) override {
    return sql::ReplaceDeployments(db_, repo_id, deployments);
  }

  Status ReplaceDeploymentChanges(std::int64_t repo_id,
                                  const std::vector<model::DeploymentChange>& changes,
                                  const std::string& basis) override {
    return sql::ReplaceDeploymentChanges(db_, repo_id, changes, basis);
  }

  Result<std::string> DeploymentChangesBasis(std::int64_t repo_id) override {
    return sql::DeploymentChangesBasis(db_, repo_id);
  }

  Result<std::int64_t> UpsertConnection(const model::Connection& c) override {
    return sql::UpsertConnection(db_, c);
  }

  Result<std::vector<model::Connection>> LoadConnections() override {
    return sql::LoadConnections(db_);
  }

  Status RecordConnectionCheck(std::int64_t connection_id, common::UnixSeconds at,
                               const std::string& outcome) override {
    return sql::RecordConnectionCheck(db_, connection_id, at, outcome);
  }

  Result<std::int64_t> UpsertPullRequests(std::int64_t repo_id,
                                          const std::vector<model::PullRequest>& prs) override {
    return sql::UpsertPullRequests(db_, repo_id, prs);
  }

  Result<std::vector<model::PullRequest>> LoadPullRequests(std::int64_t repo_id) override {
    return sql::LoadPullRequests(db_, repo_id);
  }

  Status SetPullRequestSizes(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::DiffStats>>& sizes) override {
    return sql::SetPullRequestSizes(db_, repo_id, sizes);
  }

  Status SetPullRequestBranchCommits(
      std::int64_t repo_id,
      const std::vector<std::pair<std::int64_t, model::BranchCommits>>& commits) override {
    return sql::SetPullRequestBranchCommits(db_, repo_id, commits);
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
    return sql::LoadCursor(db_, repo_id, entity);
  }

  Status SaveCursor(std::int64_t repo_id, const std::string& entity,
                    const std::string& cursor) override {
    return sql::SaveCursor(db_, repo_id, entity, cursor);
  }

  Result<RequestGrant> ReserveRequests(const RequestAsk& ask) override {
    return sql::ReserveRequests(db_, ask);
  }

 private:
  Status BeginTransaction() override { return db_.Begin(); }
  Status CommitTransaction() override { return db_.Commit(); }
  void RollbackTransaction() override { db_.Rollback(); }

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
