#include "store/migrations.h"

namespace leadline::store {
namespace {

// Timestamps are UTC Unix seconds; shas are 40 lowercase hex digits.
constexpr Migration kSqliteMigrations[] = {
    {1, "repositories, commits, refs, deployments, deployment changes", R"sql(
CREATE TABLE repositories (
  id             INTEGER PRIMARY KEY,
  source         TEXT NOT NULL,
  location       TEXT NOT NULL,
  name           TEXT NOT NULL,
  default_branch TEXT NOT NULL DEFAULT '',
  commit_count   INTEGER NOT NULL DEFAULT 0,  -- kept by inserts: COUNT(*) would scan every commit
  changes_basis  TEXT NOT NULL DEFAULT '',    -- the options deployment_changes were computed with
  UNIQUE (source, location)
);

CREATE TABLE commits (
  repo_id         INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  sha             TEXT NOT NULL,
  parent_shas     TEXT NOT NULL,  -- space-separated, first parent first
  author_name     TEXT NOT NULL,
  author_email    TEXT NOT NULL,
  author_time     INTEGER NOT NULL,
  committer_name  TEXT NOT NULL,
  committer_email TEXT NOT NULL,
  committer_time  INTEGER NOT NULL,
  message         TEXT NOT NULL,
  files_changed   INTEGER,
  lines_added     INTEGER,
  lines_deleted   INTEGER,
  PRIMARY KEY (repo_id, sha)
) WITHOUT ROWID;

CREATE TABLE refs (
  repo_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('branch', 'tag')),
  target_sha TEXT NOT NULL,
  tag_time   INTEGER,  -- annotated tags only
  PRIMARY KEY (repo_id, kind, name)
) WITHOUT ROWID;

CREATE TABLE deployments (
  id          INTEGER PRIMARY KEY,
  repo_id     INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  natural_key TEXT NOT NULL,
  source      TEXT NOT NULL,
  environment TEXT NOT NULL,
  ref         TEXT NOT NULL,
  sha         TEXT NOT NULL,
  finished_at INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('success', 'failure')),
  UNIQUE (repo_id, natural_key)
);
CREATE INDEX deployments_by_time ON deployments (repo_id, finished_at);

CREATE TABLE deployment_changes (
  deployment_id INTEGER NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  sha           TEXT NOT NULL,
  credited      INTEGER NOT NULL,  -- 0: beyond the first deployment's lookback
  PRIMARY KEY (deployment_id, sha)
) WITHOUT ROWID;
)sql"},
    {2, "connections to upstream services, with sealed secrets", R"sql(
CREATE TABLE connections (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  edition       TEXT NOT NULL CHECK (edition IN ('bitbucket-cloud', 'bitbucket-dc')),
  url           TEXT NOT NULL,
  workspace     TEXT NOT NULL DEFAULT '',
  auth_method   TEXT NOT NULL,
  username      TEXT NOT NULL DEFAULT '',
  sealed_secret TEXT NOT NULL,  -- libsodium secretbox: the plain secret is never stored
  checked_at    INTEGER,
  check_outcome TEXT NOT NULL DEFAULT ''
);
)sql"},
    {3, "repositories of connections, and which are selected for sync", R"sql(
ALTER TABLE repositories ADD COLUMN connection_id INTEGER REFERENCES connections(id) ON DELETE CASCADE;
ALTER TABLE repositories ADD COLUMN selected INTEGER NOT NULL DEFAULT 0;
CREATE INDEX repositories_by_connection ON repositories (connection_id);
)sql"},
    {4, "pull requests, and the sync cursors that make a backfill resumable", R"sql(
CREATE TABLE pull_requests (
  repo_id        INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  number         INTEGER NOT NULL,
  title          TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED')),
  author_id      TEXT NOT NULL,
  author_name    TEXT NOT NULL,
  source_branch  TEXT NOT NULL,
  target_branch  TEXT NOT NULL,
  source_commit  TEXT NOT NULL,  -- as the host gives it: Bitbucket Cloud abbreviates to 12 digits
  merge_commit   TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  closed_at      INTEGER,
  closed_by      TEXT,
  comment_count  INTEGER NOT NULL,
  draft          INTEGER NOT NULL,
  PRIMARY KEY (repo_id, number)
) WITHOUT ROWID;

CREATE TABLE sync_cursors (
  repo_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  entity     TEXT NOT NULL,  -- "pull_requests", ...
  cursor     TEXT NOT NULL,  -- where the next sync starts, e.g. an updated_on time
  PRIMARY KEY (repo_id, entity)
) WITHOUT ROWID;
)sql"},
    {5, "pull request activity, pipelines, environments and platform deployments", R"sql(
-- An entry has no id of its own on Bitbucket (only comments do), so its natural key is who did
-- what to which pull request when.
CREATE TABLE pull_request_activity (
  repo_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  pr_number  INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('comment', 'approval', 'changes_requested', 'update')),
  actor_id   TEXT NOT NULL,
  new_state  TEXT,  -- update entries: the state they left the pull request in, when known
  PRIMARY KEY (repo_id, pr_number, at, kind, actor_id)
) WITHOUT ROWID;

CREATE TABLE pipelines (
  repo_id      INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  uuid         TEXT NOT NULL,
  build_number INTEGER,
  ref_name     TEXT NOT NULL,
  commit_sha   TEXT NOT NULL,
  state        TEXT NOT NULL,
  result       TEXT,
  created_at   INTEGER NOT NULL,
  completed_at INTEGER,
  duration_s   INTEGER,
  PRIMARY KEY (repo_id, uuid)
) WITHOUT ROWID;

CREATE TABLE environments (
  repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  uuid    TEXT NOT NULL,
  name    TEXT NOT NULL,
  type    TEXT NOT NULL CHECK (type IN ('Test', 'Staging', 'Production')),
  PRIMARY KEY (repo_id, uuid)
) WITHOUT ROWID;

-- Deployments as the code host records them. Environment name and type are kept as the
-- deployment gave them (usually not at all) and joined with environments when read.
CREATE TABLE platform_deployments (
  repo_id          INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  uuid             TEXT NOT NULL,
  environment_uuid TEXT,
  environment_name TEXT,
  environment_type TEXT,
  state            TEXT NOT NULL,
  status           TEXT,
  commit_sha       TEXT NOT NULL,
  started_at       INTEGER,
  completed_at     INTEGER,
  release_name     TEXT NOT NULL,
  PRIMARY KEY (repo_id, uuid)
) WITHOUT ROWID;
)sql"},
    {6, "connected repositories' clone URLs, and whether the last listing had them", R"sql(
ALTER TABLE repositories ADD COLUMN clone_url TEXT NOT NULL DEFAULT '';
ALTER TABLE repositories ADD COLUMN visible INTEGER NOT NULL DEFAULT 1;
)sql"},
    {7, "incidents, imported or pushed by incident tools", R"sql(
-- Incidents belong to services, not repositories: settings map services to repositories when
-- metrics are computed. The links are kept as the reporter gave them ('' when not given).
CREATE TABLE incidents (
  id          TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  service     TEXT NOT NULL,
  severity    TEXT NOT NULL,
  title       TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  repository  TEXT NOT NULL,
  deployment  TEXT NOT NULL,
  commit_sha  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX incidents_by_start ON incidents (started_at);
)sql"},
    {8, "merged pull requests' size, read from the mirror", R"sql(
ALTER TABLE pull_requests ADD COLUMN files_changed INTEGER;
ALTER TABLE pull_requests ADD COLUMN lines_added INTEGER;
ALTER TABLE pull_requests ADD COLUMN lines_deleted INTEGER;
)sql"},
    {9, "projects, API tokens and the audit log", R"sql(
CREATE TABLE projects (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE project_repositories (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  repo_id    INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  PRIMARY KEY (project_id, repo_id)
) WITHOUT ROWID;
-- Only the SHA-256 of a token's secret is kept. Scopes and projects: one per line.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL,
  projects     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  revoked_at   INTEGER,
  last_used_at INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  token_name TEXT NOT NULL,
  method     TEXT NOT NULL,
  path       TEXT NOT NULL,
  status     INTEGER NOT NULL
);
)sql"},
    {10, "the webhook inbox, and connections' webhook secrets", R"sql(
-- Every accepted delivery, committed before the sender gets its 200, then applied.
CREATE TABLE webhook_inbox (
  id            INTEGER PRIMARY KEY,
  delivery_id   TEXT NOT NULL UNIQUE,
  connection_id INTEGER NOT NULL,
  event_key     TEXT NOT NULL,
  attempt       INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  body          TEXT NOT NULL,
  applied_at    INTEGER,
  outcome       TEXT NOT NULL
);
CREATE INDEX webhook_inbox_unapplied ON webhook_inbox (id) WHERE applied_at IS NULL;
CREATE INDEX webhook_inbox_by_connection ON webhook_inbox (connection_id, id);
ALTER TABLE connections ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT '';
)sql"},
    {11, "each repository's last successful sync and its webhook; the inbox's repository", R"sql(
ALTER TABLE repositories ADD COLUMN synced_at INTEGER;
ALTER TABLE repositories ADD COLUMN webhook_id TEXT NOT NULL DEFAULT '';
-- The repository a delivery names, read at intake, so that applying it needs no second parse.
ALTER TABLE webhook_inbox ADD COLUMN repository TEXT NOT NULL DEFAULT '';
CREATE INDEX webhook_inbox_by_repository ON webhook_inbox (repository, id);
-- Bodies apart, so that marking a delivery applied rewrites a short row, not the whole payload.
CREATE TABLE webhook_bodies (
  delivery INTEGER PRIMARY KEY REFERENCES webhook_inbox(id),
  body     TEXT NOT NULL
);
INSERT INTO webhook_bodies (delivery, body) SELECT id, body FROM webhook_inbox;
ALTER TABLE webhook_inbox DROP COLUMN body;
)sql"},
    {12, "refusals without a valid identity, counted; the audit log by time for pruning", R"sql(
-- One row per minute, client address and reason however many requests were refused: a flood
-- cannot grow the log by a row a request. The last request's status, method and path are kept.
CREATE TABLE audit_refusals (
  minute         INTEGER NOT NULL,  -- the minute's first second
  client_address TEXT NOT NULL,
  reason         TEXT NOT NULL,
  count          INTEGER NOT NULL,
  status         INTEGER NOT NULL,
  method         TEXT NOT NULL,
  path           TEXT NOT NULL,
  PRIMARY KEY (minute, client_address, reason)
) WITHOUT ROWID;
CREATE INDEX audit_log_by_time ON audit_log (at);
)sql"},
    {13, "incidents keyed by their source and the source's id", R"sql(
-- Ids are the reporting tool's: two sources (a file import, the push API) may use the same one
-- for different incidents. Every stored incident keeps its source, id and data.
CREATE TABLE incidents_by_source (
  source      TEXT NOT NULL,
  id          TEXT NOT NULL,
  service     TEXT NOT NULL,
  severity    TEXT NOT NULL,
  title       TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  resolved_at INTEGER,
  repository  TEXT NOT NULL,
  deployment  TEXT NOT NULL,
  commit_sha  TEXT NOT NULL,
  PRIMARY KEY (source, id)
) WITHOUT ROWID;
INSERT INTO incidents_by_source (source, id, service, severity, title, started_at, resolved_at,
                                 repository, deployment, commit_sha)
  SELECT source, id, service, severity, title, started_at, resolved_at, repository, deployment,
         commit_sha FROM incidents;
DROP TABLE incidents;
ALTER TABLE incidents_by_source RENAME TO incidents;
CREATE INDEX incidents_by_start ON incidents (started_at);
)sql"},
    {14, "pull requests' target commit; pull requests are read again to fill it", R"sql(
ALTER TABLE pull_requests ADD COLUMN target_commit TEXT NOT NULL DEFAULT '';
DELETE FROM sync_cursors WHERE entity = 'pull_requests';
)sql"},
    {15, "pull request activity keyed by the host's own id where it has one", R"sql(
-- Comments a reviewer publishes together share their second, author and kind: only the host's id
-- tells them apart. Entries without one (Cloud's approvals and updates) keep upstream_id ''.
-- Rows stored before keep '' too; an entry read again with its id replaces its row (see
-- InsertPullRequestActivity), so Cloud's activity is walked again from the sync's start.
CREATE TABLE pull_request_activity_by_id (
  repo_id     INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  pr_number   INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('comment', 'approval', 'changes_requested', 'update')),
  actor_id    TEXT NOT NULL,
  new_state   TEXT,
  upstream_id TEXT NOT NULL,
  PRIMARY KEY (repo_id, pr_number, at, kind, actor_id, upstream_id)
) WITHOUT ROWID;
INSERT INTO pull_request_activity_by_id (repo_id, pr_number, at, kind, actor_id, new_state,
                                         upstream_id)
  SELECT repo_id, pr_number, at, kind, actor_id, new_state, '' FROM pull_request_activity;
DROP TABLE pull_request_activity;
ALTER TABLE pull_request_activity_by_id RENAME TO pull_request_activity;
DELETE FROM sync_cursors WHERE entity = 'pull_request_activity';
)sql"},
    {16,
     "providers as fields: connections name theirs (GitLab among them), and platform "
     "deployments are keyed by provider and external id",
     R"sql(
-- The connections table is rebuilt (SQLite cannot change a CHECK): repositories refer to it,
-- so this migration runs with foreign keys off and checks them before it commits.
CREATE TABLE connections_by_provider (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  provider       TEXT NOT NULL CHECK (provider IN ('bitbucket-cloud', 'bitbucket-dc', 'gitlab')),
  url            TEXT NOT NULL,
  workspace      TEXT NOT NULL DEFAULT '',
  auth_method    TEXT NOT NULL,
  username       TEXT NOT NULL DEFAULT '',
  sealed_secret  TEXT NOT NULL,
  checked_at     INTEGER,
  check_outcome  TEXT NOT NULL DEFAULT '',
  webhook_secret TEXT NOT NULL DEFAULT ''
);
INSERT INTO connections_by_provider (id, name, provider, url, workspace, auth_method, username,
                                     sealed_secret, checked_at, check_outcome, webhook_secret)
  SELECT id, name, edition, url, workspace, auth_method, username, sealed_secret, checked_at,
         check_outcome, webhook_secret FROM connections;
DROP TABLE connections;
ALTER TABLE connections_by_provider RENAME TO connections;

-- Deployments CI pushed were stored as "push:<id>" beside the code host's own: the prefix
-- becomes the provider, the rest the external id.
CREATE TABLE platform_deployments_by_provider (
  repo_id          INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  provider         TEXT NOT NULL,
  uuid             TEXT NOT NULL,
  environment_uuid TEXT,
  environment_name TEXT,
  environment_type TEXT,
  state            TEXT NOT NULL,
  status           TEXT,
  commit_sha       TEXT NOT NULL,
  started_at       INTEGER,
  completed_at     INTEGER,
  release_name     TEXT NOT NULL,
  PRIMARY KEY (repo_id, provider, uuid)
) WITHOUT ROWID;
INSERT INTO platform_deployments_by_provider
  SELECT d.repo_id,
         CASE WHEN d.uuid LIKE 'push:%' THEN 'push' ELSE r.source END,
         CASE WHEN d.uuid LIKE 'push:%' THEN substr(d.uuid, 6) ELSE d.uuid END,
         d.environment_uuid, d.environment_name, d.environment_type, d.state, d.status,
         d.commit_sha, d.started_at, d.completed_at, d.release_name
  FROM platform_deployments d JOIN repositories r ON r.id = d.repo_id;
DROP TABLE platform_deployments;
ALTER TABLE platform_deployments_by_provider RENAME TO platform_deployments;
)sql",
     /*without_foreign_keys=*/true},
    {17, "several servers on one store: claims on webhook deliveries, and shared recurring jobs",
     R"sql(
-- A delivery being applied is claimed by one server until its lease ends; a server killed
-- mid-batch leaves claims that others take over once they expire.
ALTER TABLE webhook_inbox ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_inbox ADD COLUMN claimed_until INTEGER;

-- Recurring background work shared by every server on the store (the reconciliation sync): when
-- it is next due, who runs it now and until when, and how the last run went.
CREATE TABLE jobs (
  name             TEXT PRIMARY KEY,
  due_at           INTEGER NOT NULL,
  claimed_by       TEXT,
  claimed_until    INTEGER,
  last_started_at  INTEGER,
  last_finished_at INTEGER,
  last_ok          INTEGER,
  last_good_at     INTEGER,
  last_error       TEXT NOT NULL DEFAULT ''
);
)sql"},
    {18,
     "request budgets shared by every process on the store: each connection's requests reserved, "
     "by minute",
     R"sql(
-- An upstream connection's allowance (Bitbucket Cloud: 1,000 requests an hour), spent by every
-- process on the store together (store/sql/request_budget_rows.h): `reserved` counts every
-- request ever reserved, and each minute with reservations keeps the count before its first,
-- so that the requests of the last hour are `reserved` less the lowest count kept in the window.
CREATE TABLE request_budgets (
  connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
  reserved      INTEGER NOT NULL
);
CREATE TABLE request_budget_minutes (
  connection_id   INTEGER NOT NULL REFERENCES request_budgets(connection_id) ON DELETE CASCADE,
  minute          INTEGER NOT NULL,  -- Unix time of the minute's first second
  reserved_before INTEGER NOT NULL,
  PRIMARY KEY (connection_id, minute)
) WITHOUT ROWID;
)sql"},
    {19, "squashed pull requests' own commits as the host still lists them", R"sql(
-- A merged pull request whose own commits the mirror lacks (a squash of a branch deleted before
-- any sync saw it): what the host lists of them, read once (ingest/branch_commits.h). NULL: not
-- read; 0: the host lists none.
ALTER TABLE pull_requests ADD COLUMN branch_commits INTEGER;
ALTER TABLE pull_requests ADD COLUMN branch_first_commit_at INTEGER;
ALTER TABLE pull_requests ADD COLUMN branch_commit_email TEXT NOT NULL DEFAULT '';
)sql"},
    {20, "repositories keep the host's own id (Bitbucket Cloud's uuid, which CI tokens name)",
     R"sql(
ALTER TABLE repositories ADD COLUMN upstream_id TEXT NOT NULL DEFAULT '';
)sql"},
    {21, "repositories name the version of their stored history, for caches built from it",
     R"sql(
-- A random value written by every insert of commits (Store::LoadHistoryVersion).
ALTER TABLE repositories ADD COLUMN history_version TEXT NOT NULL DEFAULT '';
)sql"},
    {22, "people's sign-in sessions and the sign-ins under way (OIDC)", R"sql(
-- A sign-in between the redirect to the OpenID Provider and its callback (api/sign_in_routes.h):
-- single use, gone after ten minutes.
CREATE TABLE sign_in_attempts (
  state_hash    TEXT PRIMARY KEY,
  nonce         TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to     TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
-- A person's session: only the hash of the cookie's secret is kept.
CREATE TABLE person_sessions (
  id           INTEGER PRIMARY KEY,
  secret_hash  TEXT NOT NULL UNIQUE,
  issuer       TEXT NOT NULL,
  subject      TEXT NOT NULL,
  name         TEXT NOT NULL,
  claim_values TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
)sql"},
    {23,
     "the analytics tables BI tools read: a row per deployment, change, pull request, incident and "
     "failure reason, daily and weekly metrics, refreshes",
     R"sql(
-- Rows for BI tools (docs/bi.md), rewritten by each analytics refresh from the metrics the API
-- answers with: SQLite keeps them beside the store's tables under an `analytics_` prefix
-- (PostgreSQL in the schema leadline_analytics). Every row carries the project_key of one project
-- holding its repository ('' for a repository in none); a repository in two projects has its
-- rows twice. Times are Unix seconds (UTC), durations seconds, flags 0/1.
CREATE TABLE analytics_deployments (
  project_key               TEXT NOT NULL,
  repository                TEXT NOT NULL,
  deployment_key            TEXT NOT NULL,
  source                    TEXT NOT NULL,
  environment               TEXT NOT NULL,
  ref                       TEXT NOT NULL,
  sha                       TEXT NOT NULL,
  finished_at               INTEGER NOT NULL,
  status                    TEXT NOT NULL,
  proxy                     INTEGER NOT NULL,
  failed                    INTEGER NOT NULL,
  failure_reasons           TEXT NOT NULL,
  change_count              INTEGER NOT NULL,
  lead_time_sample          INTEGER NOT NULL,
  lead_time_median_s        REAL,
  first_deployment_lookback INTEGER NOT NULL,
  restored_by               TEXT,
  restored_by_incident      TEXT,
  recovery_s                INTEGER,
  rework                    INTEGER NOT NULL,
  rework_reasons            TEXT NOT NULL
);
CREATE INDEX analytics_deployments_by_scope ON analytics_deployments (repository, project_key);
CREATE INDEX analytics_deployments_by_project ON analytics_deployments (project_key, finished_at);
CREATE TABLE analytics_changes (
  project_key    TEXT NOT NULL,
  repository     TEXT NOT NULL,
  deployment_key TEXT NOT NULL,
  deployment_ref TEXT NOT NULL,
  deployment_sha TEXT NOT NULL,
  deployed_at    INTEGER NOT NULL,
  lead_time_s    INTEGER NOT NULL
);
CREATE INDEX analytics_changes_by_scope ON analytics_changes (repository, project_key);
CREATE TABLE analytics_pull_requests (
  project_key           TEXT NOT NULL,
  repository            TEXT NOT NULL,
  number                INTEGER NOT NULL,
  title                 TEXT NOT NULL,
  state                 TEXT NOT NULL,
  author                TEXT NOT NULL,
  bot                   INTEGER NOT NULL,
  progress              TEXT NOT NULL,
  commits               INTEGER NOT NULL,
  files_changed         INTEGER,
  lines_added           INTEGER,
  lines_deleted         INTEGER,
  review_comments       INTEGER NOT NULL,
  reviewers             INTEGER NOT NULL,
  commits_estimated     INTEGER NOT NULL,
  before_first_lookback INTEGER NOT NULL,
  first_commit_at       INTEGER,
  created_at            INTEGER NOT NULL,
  first_review_at       INTEGER,
  merged_at             INTEGER,
  deployed_at           INTEGER,
  coding_s              INTEGER,
  pickup_s              INTEGER,
  review_s              INTEGER,
  deploy_s              INTEGER,
  total_s               INTEGER
);
CREATE INDEX analytics_pull_requests_by_scope ON analytics_pull_requests (repository, project_key);
CREATE TABLE analytics_incidents (
  project_key    TEXT NOT NULL,
  repository     TEXT NOT NULL,
  incident_id    TEXT NOT NULL,
  source         TEXT NOT NULL,
  service        TEXT NOT NULL,
  severity       TEXT NOT NULL,
  title          TEXT NOT NULL,
  started_at     INTEGER NOT NULL,
  resolved_at    INTEGER,
  linked_by      TEXT NOT NULL,
  deployment_ref TEXT
);
CREATE INDEX analytics_incidents_by_scope ON analytics_incidents (repository, project_key);
CREATE TABLE analytics_failure_reasons (
  project_key     TEXT NOT NULL,
  repository      TEXT NOT NULL,
  deployment_key  TEXT NOT NULL,
  deployment_ref  TEXT NOT NULL,
  finished_at     INTEGER NOT NULL,
  reason          TEXT NOT NULL,
  environment     TEXT NOT NULL,
  commit_sha      TEXT NOT NULL,
  reverted_commit TEXT NOT NULL,
  branch          TEXT NOT NULL,
  incident_id     TEXT NOT NULL,
  linked_by       TEXT NOT NULL
);
CREATE INDEX analytics_failure_reasons_by_scope ON analytics_failure_reasons (repository, project_key);
CREATE INDEX analytics_failure_reasons_by_project ON analytics_failure_reasons (project_key, finished_at);
CREATE TABLE analytics_metrics_daily (
  project_key                 TEXT NOT NULL,
  scope_kind                  TEXT NOT NULL,
  repository                  TEXT NOT NULL,
  period_start                INTEGER NOT NULL,
  period_end                  INTEGER NOT NULL,
  deployments                 INTEGER NOT NULL,
  deployment_attempts         INTEGER NOT NULL,
  failed_deployments          INTEGER NOT NULL,
  change_fail_rate            REAL,
  lead_time_sample            INTEGER NOT NULL,
  lead_time_median_s          REAL,
  lead_time_p75_s             REAL,
  lead_time_p90_s             REAL,
  lead_time_mean_s            REAL,
  merge_commits_excluded      INTEGER NOT NULL,
  recovery_sample             INTEGER NOT NULL,
  recovery_median_s           REAL,
  unrecovered_failures        INTEGER NOT NULL,
  rework_deployments          INTEGER NOT NULL,
  rework_rate                 REAL,
  incidents                   INTEGER NOT NULL,
  incidents_linked            INTEGER NOT NULL,
  pull_requests_merged        INTEGER NOT NULL,
  pull_request_total_median_s REAL,
  coding_median_s             REAL,
  pickup_median_s             REAL,
  review_median_s             REAL,
  deploy_median_s             REAL
);
CREATE INDEX analytics_metrics_daily_by_scope ON analytics_metrics_daily (scope_kind, repository, project_key);
CREATE INDEX analytics_metrics_daily_by_project ON analytics_metrics_daily (project_key, period_start);
CREATE TABLE analytics_metrics_weekly (
  project_key                 TEXT NOT NULL,
  scope_kind                  TEXT NOT NULL,
  repository                  TEXT NOT NULL,
  period_start                INTEGER NOT NULL,
  period_end                  INTEGER NOT NULL,
  deployments                 INTEGER NOT NULL,
  deployment_attempts         INTEGER NOT NULL,
  failed_deployments          INTEGER NOT NULL,
  change_fail_rate            REAL,
  lead_time_sample            INTEGER NOT NULL,
  lead_time_median_s          REAL,
  lead_time_p75_s             REAL,
  lead_time_p90_s             REAL,
  lead_time_mean_s            REAL,
  merge_commits_excluded      INTEGER NOT NULL,
  recovery_sample             INTEGER NOT NULL,
  recovery_median_s           REAL,
  unrecovered_failures        INTEGER NOT NULL,
  rework_deployments          INTEGER NOT NULL,
  rework_rate                 REAL,
  incidents                   INTEGER NOT NULL,
  incidents_linked            INTEGER NOT NULL,
  pull_requests_merged        INTEGER NOT NULL,
  pull_request_total_median_s REAL,
  coding_median_s             REAL,
  pickup_median_s             REAL,
  review_median_s             REAL,
  deploy_median_s             REAL
);
CREATE INDEX analytics_metrics_weekly_by_scope ON analytics_metrics_weekly (scope_kind, repository, project_key);
CREATE INDEX analytics_metrics_weekly_by_project ON analytics_metrics_weekly (project_key, period_start);

-- One row per refresh (app/analytics_refresh.h): when, what kind, how much it rewrote, and the
-- newest data it saw.
CREATE TABLE analytics_refreshes (
  id               INTEGER PRIMARY KEY,
  refreshed_at     INTEGER NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('full', 'incremental')),
  scopes_rewritten INTEGER NOT NULL,
  rows_written     INTEGER NOT NULL,
  watermark        INTEGER,
  duration_ms      INTEGER NOT NULL
);
-- What each scope's rows were last written from ('repository:acme/api', 'project:payments'):
-- a digest of the rows, so that a refresh rewrites only the scopes whose rows differ.
CREATE TABLE analytics_refresh_digests (
  scope  TEXT PRIMARY KEY,
  digest TEXT NOT NULL
) WITHOUT ROWID;

)sql"},
    {24,
     "incidents keep when they were acknowledged, their page, and the connection that read them",
     R"sql(
-- Every incident stays keyed by (source, id): imported and pushed ones keep theirs ('import',
-- 'api'), incidents read from an incident tool are keyed by the tool ('pagerduty'), so ids of
-- different tools never collide. connection_id is 0 for incidents no connection read.
ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE incidents ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN connection_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX incidents_by_connection ON incidents (connection_id, service);
)sql"},
    {25,
     "incident tools as connections (PagerDuty): their services, which repositories each counts "
     "against, which severities count, and where their backfill stands",
     R"sql(
-- The connections table is rebuilt for its CHECK, as in migration 16 (foreign keys off).
CREATE TABLE connections_with_incident_tools (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  provider       TEXT NOT NULL
                 CHECK (provider IN ('bitbucket-cloud', 'bitbucket-dc', 'gitlab', 'pagerduty')),
  url            TEXT NOT NULL,
  workspace      TEXT NOT NULL DEFAULT '',
  auth_method    TEXT NOT NULL,
  username       TEXT NOT NULL DEFAULT '',
  sealed_secret  TEXT NOT NULL,
  checked_at     INTEGER,
  check_outcome  TEXT NOT NULL DEFAULT '',
  webhook_secret TEXT NOT NULL DEFAULT ''
);
INSERT INTO connections_with_incident_tools (id, name, provider, url, workspace, auth_method,
                                             username, sealed_secret, checked_at, check_outcome,
                                             webhook_secret)
  SELECT id, name, provider, url, workspace, auth_method, username, sealed_secret, checked_at,
         check_outcome, webhook_secret FROM connections;
DROP TABLE connections;
ALTER TABLE connections_with_incident_tools RENAME TO connections;

-- A tool's services as its last listing named them; repos is the fnmatch pattern of the
-- repositories its incidents count against ('' while unmapped: its incidents count nowhere).
CREATE TABLE incident_services (
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  id            TEXT NOT NULL,
  name          TEXT NOT NULL,
  repos         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (connection_id, id)
) WITHOUT ROWID;
-- Per incident connection: the severities that count (one a line) and the backfill's cursor.
CREATE TABLE incident_connections (
  connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
  counts        TEXT NOT NULL,
  cursor        TEXT NOT NULL DEFAULT ''
);
)sql",
     /*without_foreign_keys=*/true},
    {26, "feedback on pull requests: the repositories that have it on and the outbox of posts",
     R"sql(
-- Repositories with feedback on (store/feedback_outbox.h); mode is how it is shown.
CREATE TABLE feedback_repositories (
  repo_id        INTEGER PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
  mode           TEXT NOT NULL CHECK (mode IN ('insights', 'comment')),
  enabled_at     INTEGER NOT NULL,
  last_posted_at INTEGER,
  posts          INTEGER NOT NULL DEFAULT 0
);
-- Posts still to make: one row per pull request, deleted once posted at its generation.
CREATE TABLE feedback_outbox (
  id            INTEGER PRIMARY KEY,
  repo_id       INTEGER NOT NULL REFERENCES feedback_repositories(repo_id) ON DELETE CASCADE,
  number        INTEGER NOT NULL,
  reason        TEXT NOT NULL,
  queued_at     INTEGER NOT NULL,
  due_at        INTEGER NOT NULL,
  generation    INTEGER NOT NULL DEFAULT 1,
  attempts      INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  claimed_by    TEXT,
  claimed_until INTEGER,
  UNIQUE (repo_id, number)
);
CREATE INDEX feedback_outbox_due ON feedback_outbox (failed, due_at);
)sql"},
    {27,
     "the analytics tables' metrics per calendar quarter (and, on PostgreSQL only, row-level "
     "security for BI roles: SQLite has no roles)",
     R"sql(
-- As analytics_metrics_weekly, per calendar quarter (UTC): the quarterly review's numbers.
CREATE TABLE analytics_metrics_quarterly (
  project_key                 TEXT NOT NULL,
  scope_kind                  TEXT NOT NULL,
  repository                  TEXT NOT NULL,
  period_start                INTEGER NOT NULL,
  period_end                  INTEGER NOT NULL,
  deployments                 INTEGER NOT NULL,
  deployment_attempts         INTEGER NOT NULL,
  failed_deployments          INTEGER NOT NULL,
  change_fail_rate            REAL,
  lead_time_sample            INTEGER NOT NULL,
  lead_time_median_s          REAL,
  lead_time_p75_s             REAL,
  lead_time_p90_s             REAL,
  lead_time_mean_s            REAL,
  merge_commits_excluded      INTEGER NOT NULL,
  recovery_sample             INTEGER NOT NULL,
  recovery_median_s           REAL,
  unrecovered_failures        INTEGER NOT NULL,
  rework_deployments          INTEGER NOT NULL,
  rework_rate                 REAL,
  incidents                   INTEGER NOT NULL,
  incidents_linked            INTEGER NOT NULL,
  pull_requests_merged        INTEGER NOT NULL,
  pull_request_total_median_s REAL,
  coding_median_s             REAL,
  pickup_median_s             REAL,
  review_median_s             REAL,
  deploy_median_s             REAL
);
CREATE INDEX analytics_metrics_quarterly_by_scope ON analytics_metrics_quarterly (scope_kind, repository, project_key);
CREATE INDEX analytics_metrics_quarterly_by_project ON analytics_metrics_quarterly (project_key, period_start);
-- Every scope is rewritten by the next refresh, so that the new table gets its rows.
DELETE FROM analytics_refresh_digests;
)sql"},
    {28, "incident.io connections (an incident tool, like PagerDuty)",
     R"sql(
-- The connections table is rebuilt for its CHECK, as in migration 25 (foreign keys off).
CREATE TABLE connections_with_incidentio (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  provider       TEXT NOT NULL
                 CHECK (provider IN ('bitbucket-cloud', 'bitbucket-dc', 'gitlab', 'pagerduty',
                                     'incidentio')),
  url            TEXT NOT NULL,
  workspace      TEXT NOT NULL DEFAULT '',
  auth_method    TEXT NOT NULL,
  username       TEXT NOT NULL DEFAULT '',
  sealed_secret  TEXT NOT NULL,
  checked_at     INTEGER,
  check_outcome  TEXT NOT NULL DEFAULT '',
  webhook_secret TEXT NOT NULL DEFAULT ''
);
INSERT INTO connections_with_incidentio (id, name, provider, url, workspace, auth_method, username,
                                         sealed_secret, checked_at, check_outcome, webhook_secret)
  SELECT id, name, provider, url, workspace, auth_method, username, sealed_secret, checked_at,
         check_outcome, webhook_secret FROM connections;
DROP TABLE connections;
ALTER TABLE connections_with_incidentio RENAME TO connections;
)sql",
     /*without_foreign_keys=*/true},
    {29, "the Looker connection whose datagroup a refresh triggers (`leadline looker connect`)",
     R"sql(
-- One row at most: the instance, its API client id, the secret sealed with the store's key, and
-- the last trigger's time and outcome (`leadline looker status`).
CREATE TABLE looker_connection (
  id                   INTEGER PRIMARY KEY CHECK (id = 1),
  url                  TEXT NOT NULL,
  client_id            TEXT NOT NULL,
  sealed_secret        TEXT NOT NULL,
  connected_at         INTEGER NOT NULL,
  last_trigger_at      INTEGER,
  last_trigger_outcome TEXT NOT NULL DEFAULT ''
);
)sql"},
    {30,
     "feedback on pull requests: why a repository's feedback was turned off by its host's "
     "refusal, and how many stale posts were dropped",
     R"sql(
-- Set when the code host refused a post (403): feedback stays off for the repository until it
-- is enabled again; the reason is shown by feedback status, doctor and the integrations.
ALTER TABLE feedback_repositories ADD COLUMN refused_at INTEGER;
ALTER TABLE feedback_repositories ADD COLUMN refused_reason TEXT NOT NULL DEFAULT '';
-- Posts dropped from the outbox unposted, older than serve's --feedback-max-age.
ALTER TABLE feedback_repositories ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
)sql"},
    {31, "Jira Service Management and Opsgenie connections (incident tools, like PagerDuty)",
     R"sql(
-- The connections table is rebuilt for its CHECK, as in migration 28 (foreign keys off).
CREATE TABLE connections_with_jsm (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  provider       TEXT NOT NULL
                 CHECK (provider IN ('bitbucket-cloud', 'bitbucket-dc', 'gitlab', 'pagerduty',
                                     'incidentio', 'jsm', 'opsgenie')),
  url            TEXT NOT NULL,
  workspace      TEXT NOT NULL DEFAULT '',
  auth_method    TEXT NOT NULL,
  username       TEXT NOT NULL DEFAULT '',
  sealed_secret  TEXT NOT NULL,
  checked_at     INTEGER,
  check_outcome  TEXT NOT NULL DEFAULT '',
  webhook_secret TEXT NOT NULL DEFAULT ''
);
INSERT INTO connections_with_jsm (id, name, provider, url, workspace, auth_method, username,
                                  sealed_secret, checked_at, check_outcome, webhook_secret)
  SELECT id, name, provider, url, workspace, auth_method, username, sealed_secret, checked_at,
         check_outcome, webhook_secret FROM connections;
DROP TABLE connections;
ALTER TABLE connections_with_jsm RENAME TO connections;
)sql",
     /*without_foreign_keys=*/true},
    {32, "incident services that send production deployments to their tool as change events",
     R"sql(
-- Services whose tool hears of production deployments (store/change_event_outbox.h): the
-- routing key (PagerDuty's integration key, sealed like the connections' secrets), where events
-- go, and since when deployments are sent.
CREATE TABLE change_event_services (
  connection_id      INTEGER NOT NULL,
  service_id         TEXT NOT NULL,
  sealed_routing_key TEXT NOT NULL,
  events_url         TEXT NOT NULL,
  enabled_at         INTEGER NOT NULL,
  PRIMARY KEY (connection_id, service_id),
  FOREIGN KEY (connection_id, service_id) REFERENCES incident_services (connection_id, id)
    ON DELETE CASCADE
);
-- One row per (service, repository, deployment), never two: queued, then sent (kept, so that a
-- deployment is never sent twice) or failed for good. body is the event without its routing key.
CREATE TABLE change_events (
  id             INTEGER PRIMARY KEY,
  connection_id  INTEGER NOT NULL,
  service_id     TEXT NOT NULL,
  repo_id        INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  deployment_key TEXT NOT NULL,
  body           TEXT NOT NULL,
  queued_at      INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  state          TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  sent_at        INTEGER,
  last_error     TEXT NOT NULL DEFAULT '',
  claimed_by     TEXT,
  claimed_until  INTEGER,
  FOREIGN KEY (connection_id, service_id) REFERENCES change_event_services (connection_id,
    service_id) ON DELETE CASCADE,
  UNIQUE (connection_id, service_id, repo_id, deployment_key)
);
CREATE INDEX change_events_due ON change_events (state, due_at);
)sql"},
    {33, "the analytics tables' metric rows per team of leadline.toml within each project",
     R"sql(
-- Rows of scope_kind 'team' name their team here ('' on repository and project rows); their
-- pull-request figures count only the team's pull requests. Every scope is written again.
ALTER TABLE analytics_metrics_daily ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE analytics_metrics_weekly ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE analytics_metrics_quarterly ADD COLUMN team TEXT NOT NULL DEFAULT '';
DELETE FROM analytics_refresh_digests;
)sql"},
    {34,
     "deployments' branch and start, and each change's commit and author, in the analytics tables",
     R"sql(
-- The branch a platform or CI names for a deployment (GitLab's ref, a pushed deployment's
-- `branch`); NULL where it names none.
ALTER TABLE platform_deployments ADD COLUMN branch TEXT;
-- Analytics: a deployment's branch and start (NULL where unknown), a change's commit and its
-- author's e-mail (NULL for a commit without one). Every scope is written again.
ALTER TABLE analytics_deployments ADD COLUMN branch TEXT;
ALTER TABLE analytics_deployments ADD COLUMN started_at INTEGER;
ALTER TABLE analytics_changes ADD COLUMN commit_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE analytics_changes ADD COLUMN author TEXT;
DELETE FROM analytics_refresh_digests;
)sql"},
    {35, "where an incident's deployment or commit was read: the incident, or a change event",
     R"sql(
-- '' for what the incident itself names (its reporter's fields, a tool's fields or text);
-- 'change_event' for a change event the tool relates to it (PagerDuty), so that reports say
-- which rule tied it.
ALTER TABLE incidents ADD COLUMN named_by TEXT NOT NULL DEFAULT '';
)sql"},
    {36, "whether a pipeline ran on a branch or a tag", R"sql(
-- The kind of a pipeline's ref_name, as the host names it ('branch', 'tag', ...; '' where it does
-- not say), so that a deployment takes the branch of the pipeline that deployed it, and no tag.
-- Pipelines stored before keep ''; their deployments keep no branch.
ALTER TABLE pipelines ADD COLUMN ref_type TEXT NOT NULL DEFAULT '';
)sql"},
    {37,
     "webhook deliveries waiting to be applied, and their claims, in a table of their own; the "
     "newest applied delivery of each repository in another",
     R"sql(
-- Applying a delivery deletes its row here and sets its outcome on the inbox row, whose indexed
-- columns stay as they were: on PostgreSQL such an update writes no index entry (a HOT update),
-- where claiming and marking rows of a partial index on applied_at rewrote every index entry
-- twice. The inbox row keeps who applied it.
CREATE TABLE webhook_pending (
  delivery      INTEGER PRIMARY KEY,
  claimed_by    TEXT,
  claimed_until INTEGER
);
INSERT INTO webhook_pending (delivery, claimed_by, claimed_until)
  SELECT id, claimed_by, claimed_until FROM webhook_inbox WHERE applied_at IS NULL;
UPDATE webhook_inbox SET claimed_by = NULL WHERE applied_at IS NULL;
DROP INDEX webhook_inbox_unapplied;
ALTER TABLE webhook_inbox RENAME COLUMN claimed_by TO applied_by;
ALTER TABLE webhook_inbox DROP COLUMN claimed_until;

-- The status pages' "last delivery" of a connection or repository: the newest waiting one, or
-- the newest applied one kept here by the applier, a row per connection and repository, where
-- two inbox indexes cost every delivery two more entries.
CREATE TABLE webhook_newest_applied (
  connection_id INTEGER NOT NULL,
  repository    TEXT NOT NULL,
  delivery      INTEGER NOT NULL,
  PRIMARY KEY (connection_id, repository)
);
INSERT INTO webhook_newest_applied (connection_id, repository, delivery)
  SELECT connection_id, repository, MAX(id) FROM webhook_inbox WHERE applied_at IS NOT NULL
  GROUP BY connection_id, repository;
DROP INDEX webhook_inbox_by_connection;
DROP INDEX webhook_inbox_by_repository;
)sql"},
    {38, "webhook deliveries claimed a run at a time: one row per server, not one per delivery",
     R"sql(
-- A server claims a run of waiting deliveries, from first_delivery to last_delivery, until
-- claimed_until: one row it writes per batch and renews in one update, where the claim and every
-- renewal rewrote each waiting row of the batch. Claims of before become one run per server,
-- from its first held delivery to its last.
CREATE TABLE webhook_claims (
  owner          TEXT PRIMARY KEY,
  first_delivery INTEGER NOT NULL,
  last_delivery  INTEGER NOT NULL,
  claimed_until  INTEGER NOT NULL
);
INSERT INTO webhook_claims (owner, first_delivery, last_delivery, claimed_until)
  SELECT claimed_by, MIN(delivery), MAX(delivery), MAX(claimed_until) FROM webhook_pending
  WHERE claimed_by IS NOT NULL AND claimed_until IS NOT NULL GROUP BY claimed_by;
ALTER TABLE webhook_pending DROP COLUMN claimed_by;
ALTER TABLE webhook_pending DROP COLUMN claimed_until;
)sql"},
    {39, "the newest applied webhook delivery kept per server",
     R"sql(
-- The status pages' newest applied delivery of a connection and repository, one row for each
-- server that applied one (applied_by, its claims' name). Servers marking deliveries of one
-- repository at once each write their own row: with one row per repository, each waited for the
-- other's commit (on PostgreSQL three servers' marks took three times one server's). Readers take
-- the newest of the rows; the hourly pruning drops the rows a newer one supersedes. The rows of
-- before keep an empty name.
CREATE TABLE webhook_newest_applied_by (
  connection_id INTEGER NOT NULL,
  repository    TEXT NOT NULL,
  delivery      INTEGER NOT NULL,
  applied_by    TEXT NOT NULL,
  PRIMARY KEY (connection_id, repository, applied_by)
);
INSERT INTO webhook_newest_applied_by (connection_id, repository, delivery, applied_by)
  SELECT connection_id, repository, delivery, '' FROM webhook_newest_applied;
DROP TABLE webhook_newest_applied;
ALTER TABLE webhook_newest_applied_by RENAME TO webhook_newest_applied;
)sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kSqliteMigrations; }

}  // namespace leadline::store
