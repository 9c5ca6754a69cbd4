// The GraphQL queries of the dashboard (docs/graphql.md): one document per screen that reads
// through GraphQL, static so that a server keeping an allow-list of persisted queries may list
// them, and what their answers are turned into (the shapes of types.ts the views draw).

import type { ApiClient, GraphqlDocument, Params } from './client';
import type {
  Connection,
  Deployment,
  FailureReason,
  IncidentTool,
  Integrations,
  Reconciliation,
  RepositoryFindings,
} from './types';

/** The scope and window arguments the root fields share, from the filters' parameters. */
function scopeVariables(scope: Params): Record<string, string | null> {
  const value = (key: string) => scope[key] || null;
  return {
    project: value('project'),
    repository: value('repo'),
    team: value('team'),
    window: value('window'),
    since: value('since'),
    until: value('until'),
  };
}

const SCOPE_ARGUMENTS =
  'project: $project, repository: $repository, team: $team, window: $window, since: $since, ' +
  'until: $until';
const SCOPE_VARIABLES =
  '$project: String, $repository: String, $team: String, $window: String, $since: String, ' +
  '$until: String';

// The dashboard's deployments panel: every deployment of the window for the timeline, with what
// the failure details show.
export const DASHBOARD_DEPLOYMENTS: GraphqlDocument = {
  operationName: 'DashboardDeployments',
  query: `query DashboardDeployments($first: Int!, $after: String, ${SCOPE_VARIABLES}) {
  deployments(first: $first, after: $after, ${SCOPE_ARGUMENTS}) {
    pageInfo { hasNextPage endCursor }
    nodes {
      repository { fullName proxy }
      ref sha finishedAt status changeCount leadTimeMedianSeconds failed
      failureReasons { reason commit revertedCommit branch incident linkedBy }
      restoredBy restoredByIncident recoverySeconds
    }
  }
}`,
};

// The integrations screen: the connections and the poll, and the findings of the scope.
export const INTEGRATIONS_SCREEN: GraphqlDocument = {
  operationName: 'IntegrationsScreen',
  query: `query IntegrationsScreen(${SCOPE_VARIABLES}) {
  integrations {
    connections {
      id name provider url connected checkedAt selectedRepositories lastSyncAt
      lastWebhook { receivedAt event outcome }
      incidentTool { services mappedServices configuredServices counts sync }
      feedbackRefused { repository refusedAt reason }
    }
    reconciliation { everySeconds lastRunAt lastRunOk error lagSeconds }
  }
  dataQuality(${SCOPE_ARGUMENTS}) {
    repository { fullName }
    findings { check severity message fix }
  }
}`,
};

interface DeploymentNode {
  repository: { fullName: string; proxy: boolean };
  ref: string;
  sha: string;
  finishedAt: string;
  status: string;
  changeCount: number;
  leadTimeMedianSeconds: number | null;
  failed: boolean;
  failureReasons: {
    reason: FailureReason['reason'];
    commit: string | null;
    revertedCommit: string | null;
    branch: string | null;
    incident: string | null;
    linkedBy: string | null;
  }[];
  restoredBy: string | null;
  restoredByIncident: string | null;
  recoverySeconds: number | null;
}

interface DeploymentsAnswer {
  deployments: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: DeploymentNode[];
  } | null;
}

const orUndefined = (value: string | null) => value ?? undefined;

function deploymentOf(node: DeploymentNode): Deployment {
  return {
    repository: node.repository.fullName,
    proxy: node.repository.proxy,
    ref: node.ref,
    sha: node.sha,
    finished_at: node.finishedAt,
    status: node.status,
    change_count: node.changeCount,
    lead_time_median_s: node.leadTimeMedianSeconds,
    failed: node.failed,
    failure_reasons: node.failureReasons.map((reason) => ({
      reason: reason.reason,
      commit: orUndefined(reason.commit),
      reverted_commit: orUndefined(reason.revertedCommit),
      branch: orUndefined(reason.branch),
      incident: orUndefined(reason.incident),
      linked_by: orUndefined(reason.linkedBy),
    })),
    restored_by: node.restoredBy,
    restored_by_incident: node.restoredByIncident,
    recovery_s: node.recoverySeconds,
  };
}

/** The largest page GraphQL gives (docs/graphql.md). */
const LARGEST_PAGE = 100;

/**
 * The window's deployments, newest first, at most `cap`: one request for every hundred (a
 * window of at most a hundred takes one).
 */
export async function queryDeployments(
  api: ApiClient,
  scope: Params,
  cap: number,
  signal?: AbortSignal,
): Promise<{ items: Deployment[]; truncated: boolean }> {
  const items: Deployment[] = [];
  let after: string | null = null;
  let more = true;
  while (more && items.length < cap) {
    const answer: DeploymentsAnswer['deployments'] = (
      await api.graphql<DeploymentsAnswer>(
        DASHBOARD_DEPLOYMENTS,
        { ...scopeVariables(scope), first: Math.min(LARGEST_PAGE, cap - items.length), after },
        signal,
      )
    ).field('deployments');
    items.push(...answer.nodes.map(deploymentOf));
    more = answer.pageInfo.hasNextPage;
    after = answer.pageInfo.endCursor;
  }
  return { items: items.slice(0, cap), truncated: more };
}

interface IntegrationsAnswer {
  integrations: {
    connections: {
      id: number;
      name: string;
      provider: string;
      url: string;
      connected: boolean;
      checkedAt: string | null;
      selectedRepositories: number;
      lastSyncAt: string | null;
      lastWebhook: { receivedAt: string; event: string; outcome: string } | null;
      incidentTool: {
        services: number;
        mappedServices: number;
        configuredServices: number;
        counts: string[];
        sync: IncidentTool['sync'];
      } | null;
      feedbackRefused: { repository: string; refusedAt: string; reason: string }[];
    }[];
    reconciliation: {
      everySeconds: number | null;
      lastRunAt: string | null;
      lastRunOk: boolean | null;
      error: string | null;
      lagSeconds: number | null;
    } | null;
  } | null;
  dataQuality:
    { repository: { fullName: string }; findings: RepositoryFindings['findings'] }[] | null;
}

export interface IntegrationsScreenData {
  /** Each rejects with its own field's error, so that each part of the screen shows its own. */
  integrations: Promise<Integrations>;
  findings: Promise<RepositoryFindings[]>;
}

/** The integrations screen's one request, split into what its two parts draw. */
export function queryIntegrationsScreen(
  api: ApiClient,
  scope: Params,
  signal?: AbortSignal,
): IntegrationsScreenData {
  const answer = api.graphql<IntegrationsAnswer>(
    INTEGRATIONS_SCREEN,
    scopeVariables(scope),
    signal,
  );
  const integrations = answer.then((result) => {
    const { connections, reconciliation } = result.field('integrations');
    return {
      connections: connections.map((c): Connection => ({
        id: c.id,
        provider: c.provider,
        name: c.name,
        url: c.url,
        connected: c.connected,
        checked_at: c.checkedAt,
        selected_repositories: c.selectedRepositories,
        last_sync_at: c.lastSyncAt,
        last_webhook: c.lastWebhook && {
          received_at: c.lastWebhook.receivedAt,
          event: c.lastWebhook.event,
          outcome: c.lastWebhook.outcome,
        },
        incident_tool: c.incidentTool && {
          services: c.incidentTool.services,
          mapped_services: c.incidentTool.mappedServices,
          configured_services: c.incidentTool.configuredServices,
          counts: c.incidentTool.counts,
          sync: c.incidentTool.sync,
        },
        feedback_refused: c.feedbackRefused.map((r) => ({
          repository: r.repository,
          refused_at: r.refusedAt,
          reason: r.reason,
        })),
      })),
      reconciliation:
        reconciliation &&
        ({
          every_s: reconciliation.everySeconds,
          last_run_at: reconciliation.lastRunAt,
          last_run_ok: reconciliation.lastRunOk,
          error: reconciliation.error,
          lag_s: reconciliation.lagSeconds,
        } satisfies Reconciliation),
    };
  });
  const findings = answer.then((result) =>
    result.field('dataQuality').map((item) => ({
      repository: item.repository.fullName,
      findings: item.findings,
    })),
  );
  return { integrations, findings };
}
