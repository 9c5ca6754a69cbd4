// The shapes of the API's answers that the dashboard reads (docs/api.md, docs/metrics.md), and
// the same shapes for what it reads through GraphQL (queries.ts turns the answers into them).
// Only the fields in use are declared.

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Project {
  name: string;
  repositories: number;
}

export interface Team {
  name: string;
}

export interface Repository {
  repository: string;
  name: string;
  projects: string[];
  proxy: boolean;
}

export type Level = string | null;

export interface Summary {
  window: { since: string; until: string; days: number };
  deployments: number;
  deployment_attempts: number;
  deployment_frequency_per_day: number;
  lead_time_median_s: number | null;
  lead_time_p75_s: number | null;
  lead_time_p90_s: number | null;
  lead_time_sample: number;
  change_fail_rate: number | null;
  failed_deployments: number;
  recovery_median_s: number | null;
  recovery: { count: number };
  unrecovered_failures: number;
  rework_rate: number | null;
  rework_deployments: number;
  levels: {
    benchmark: number;
    deployment_frequency: Level;
    lead_time: Level;
    change_fail_rate: Level;
    recovery: Level;
  };
}

export interface StageFigures {
  count: number;
  median_s: number | null;
  p75_s: number | null;
  p90_s: number | null;
}

export interface PullRequestStages {
  merged: number;
  coding: StageFigures;
  pickup: StageFigures;
  review: StageFigures;
  deploy: StageFigures;
  total: StageFigures;
}

export interface TrendPoint {
  week_start: string;
  deployments: number;
  lead_time_median_s: number | null;
  change_fail_rate: number | null;
  recovery_median_s: number | null;
  rework_rate: number | null;
  coding_median_s: number | null;
  pickup_median_s: number | null;
  review_median_s: number | null;
  deploy_median_s: number | null;
}

export interface DoraReport {
  proxy: boolean;
  proxy_repositories: number;
  scope: { repositories: string[] };
  summary: Summary;
  pull_request_stages: PullRequestStages;
  trend: TrendPoint[];
}

export type FailureReasonCode = 'deployment_failed' | 'reverted' | 'hotfix' | 'incident';

export interface FailureReason {
  reason: FailureReasonCode;
  commit?: string;
  reverted_commit?: string;
  branch?: string;
  incident?: string;
  linked_by?: string;
}

export interface Deployment {
  repository: string;
  proxy: boolean;
  ref: string;
  sha: string;
  finished_at: string;
  status: string;
  change_count: number;
  lead_time_median_s: number | null;
  failed: boolean;
  failure_reasons: FailureReason[];
  restored_by: string | null;
  restored_by_incident: string | null;
  recovery_s: number | null;
}

export interface PullRequest {
  repository: string;
  number: number;
  author: string;
  merged_at: string;
  coding_s: number | null;
  pickup_s: number | null;
  review_s: number | null;
  deploy_s: number | null;
  total_s: number | null;
}

/** An incident tool's side of a connection: its services, what counts and its sync. */
export interface IncidentTool {
  /** Listed; for a token of some projects, those mapped onto its repositories. */
  services: number;
  mapped_services: number;
  /** Of the mapped ones, mapped by [services] in leadline.toml. */
  configured_services: number;
  counts: string[];
  sync: 'never' | 'in_progress' | 'synced';
}

export interface Connection {
  id: number;
  /** bitbucket-cloud, bitbucket-dc, gitlab or pagerduty. */
  provider: string;
  name: string;
  url: string;
  connected: boolean;
  checked_at: string | null;
  selected_repositories: number;
  last_sync_at: string | null;
  last_webhook: { received_at: string; event: string; outcome: string } | null;
  /** Null for a code host. */
  incident_tool: IncidentTool | null;
  /** A code host's repositories whose pull-request feedback it refused (a 403): off until enabled again. */
  feedback_refused: { repository: string; refused_at: string; reason: string }[];
}

/** The reconciliation poll inside the server; every field null when it is off. */
export interface Reconciliation {
  every_s: number | null;
  last_run_at: string | null;
  last_run_ok: boolean | null;
  error: string | null;
  lag_s: number | null;
}

export interface Integrations {
  connections: Connection[];
  /** Null for a token limited to some projects: the poll syncs every project. */
  reconciliation: Reconciliation | null;
}

export interface Finding {
  check: string;
  severity: string;
  message: string;
  fix: string;
}

export interface RepositoryFindings {
  repository: string;
  findings: Finding[];
}

/** An incident of GET /v1/incidents and the deployment it was tied to, or why none was. */
export interface Incident {
  repository: string;
  id: string;
  source: string;
  service: string;
  severity: string;
  title: string;
  started_at: string;
  resolved_at: string | null;
  link: string | null;
  /** named, commit, change_event, window or none. */
  linked_by: string;
  deployment: string | null;
  /** Why no rule tied it (linked_by none). */
  not_tied: string | null;
}
