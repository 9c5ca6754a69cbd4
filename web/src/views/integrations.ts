// The code hosts' connections and how current they are, the incident tools' connections (their
// services and mappings, what counts, their sync), and the data-quality findings of the
// repositories in scope (the same checks as `leadline doctor`), read with one GraphQL query.

import { fetchIntegrationsScreen } from '../api/endpoints';
import type {
  Connection,
  Finding,
  IncidentTool,
  Integrations,
  Reconciliation,
  RepositoryFindings,
} from '../api/types';
import { h, replaceChildren } from '../dom';
import { scopeParams, type Filters } from '../filters/filters';
import { formatDuration, formatTime, plural } from '../format';
import { LatestOnly } from '../latest-only';
import { empty, loading } from './states';
import { Section, type View, type ViewContext } from './view';

export class IntegrationsView implements View {
  private readonly connections = new Section('Code hosts', 'connections');
  private readonly incidentTools = new Section('Incident tools', 'incident-connections');
  private readonly doctor = new Section('Data quality', 'doctor');
  private readonly loads = new LatestOnly();
  readonly element = h(
    'div',
    { class: 'view integrations' },
    this.connections.element,
    this.incidentTools.element,
    this.doctor.element,
  );

  constructor(private readonly context: ViewContext) {
    replaceChildren(this.connections.body, loading('connections'));
    replaceChildren(this.incidentTools.body, loading('incident tools'));
    replaceChildren(this.doctor.body, loading('findings'));
  }

  load(filters: Filters): void {
    const signal = this.loads.start();
    // One GraphQL request for both parts; each shows its own part of the answer, or its error.
    const { integrations, findings } = fetchIntegrationsScreen(
      this.context.api,
      scopeParams(filters),
      signal,
    );
    void this.connections.show(this.context, 'the connections', integrations, (answer) =>
      replaceChildren(this.connections.body, renderConnections(answer)),
    );
    void this.incidentTools.show(this.context, 'the incident tools', integrations, (answer) =>
      replaceChildren(this.incidentTools.body, renderIncidentTools(answer)),
    );
    void this.doctor.show(this.context, 'the findings', findings, (items) =>
      replaceChildren(this.doctor.body, renderFindings(items)),
    );
  }

  dispose(): void {
    this.loads.stop();
  }
}

const PROVIDER_TITLES: Record<string, string> = {
  'bitbucket-cloud': 'Bitbucket Cloud',
  'bitbucket-dc': 'Bitbucket Data Center',
  gitlab: 'GitLab',
  pagerduty: 'PagerDuty',
  incidentio: 'incident.io',
  jsm: 'Jira Service Management',
  opsgenie: 'Opsgenie',
};

/** People's name for a provider; the stored name for one this page does not know. */
function providerTitle(provider: string): string {
  return PROVIDER_TITLES[provider] ?? provider;
}

function renderConnections({ connections: all, reconciliation }: Integrations): HTMLElement {
  const connections = all.filter((connection) => !connection.incident_tool);
  if (connections.length === 0) {
    return empty('No code host connected yet: add one with leadline connect on the server.');
  }
  const cards = h(
    'div',
    { class: 'connections' },
    connections.map((c) => connectionCard(c, reconciliation !== null)),
  );
  if (!reconciliation) return cards;
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'section-note', 'data-testid': 'reconciliation' },
      reconciliationNote(reconciliation),
    ),
    cards,
  );
}

/** What the server's poll, which syncs every selected repository, last did. */
function reconciliationNote(poll: Reconciliation): string {
  if (poll.every_s === null) return 'Reconciliation poll: off; only webhooks keep data current.';
  const every = `Reconciliation poll: every ${formatDuration(poll.every_s)}`;
  if (!poll.last_run_at) return `${every}; the first run is still to come.`;
  const last = `last run ${formatTime(poll.last_run_at)}`;
  return poll.last_run_ok ? `${every}; ${last}, OK.` : `${every}; ${last} failed: ${poll.error}`;
}

function connectionCard(connection: Connection, everyProject: boolean): HTMLElement {
  return h(
    'article',
    { class: 'connection', 'data-testid': 'connection' },
    h('header', {}, h('h3', {}, connection.name), connectedBadge(connection)),
    h(
      'dl',
      { class: 'facts' },
      fact('Provider', providerTitle(connection.provider)),
      fact('Server', connection.url),
      fact('Selected repositories', String(connection.selected_repositories)),
      fact(
        'Last sync',
        connection.last_sync_at ? formatTime(connection.last_sync_at) : 'Never synced',
      ),
      fact('Last webhook', webhookText(connection.last_webhook, everyProject)),
    ),
    ...connection.feedback_refused.map((refused) =>
      h(
        'p',
        { class: 'section-note', 'data-testid': 'feedback-refused' },
        `Pull-request feedback on ${refused.repository} was turned off ${formatTime(refused.refused_at)}: ` +
          `${refused.reason}. Once the credentials may post, turn it on again with ` +
          `leadline feedback enable --repos ${refused.repository}.`,
      ),
    ),
  );
}

function renderIncidentTools({ connections, reconciliation }: Integrations): HTMLElement {
  const tools = connections.flatMap((connection) =>
    connection.incident_tool ? [{ connection, tool: connection.incident_tool }] : [],
  );
  if (tools.length === 0) {
    // A token of some projects sees only the tools with a service mapped onto them.
    return empty(
      reconciliation
        ? 'No incident tool connected yet: add one with leadline connect pagerduty on the server.'
        : 'No incident tool has a service mapped onto your projects.',
    );
  }
  return h(
    'div',
    { class: 'connections' },
    tools.map(({ connection, tool }) =>
      incidentToolCard(connection, tool, reconciliation !== null),
    ),
  );
}

const SYNC_WORDS: Record<IncidentTool['sync'], string> = {
  never: 'Never synced',
  in_progress: 'In progress (a cut sync goes on at the next)',
  synced: 'Synced',
};

/** "3 listed, 2 mapped (1 by leadline.toml)". */
function servicesText(tool: IncidentTool): string {
  const configured =
    tool.configured_services > 0 ? ` (${tool.configured_services} by leadline.toml)` : '';
  return `${tool.services} listed, ${tool.mapped_services} mapped${configured}`;
}

function incidentToolCard(
  connection: Connection,
  tool: IncidentTool,
  everyProject: boolean,
): HTMLElement {
  const lastSync =
    tool.sync === 'synced' && connection.last_sync_at
      ? `${formatTime(connection.last_sync_at)} (incidents begun until then)`
      : SYNC_WORDS[tool.sync];
  return h(
    'article',
    { class: 'connection', 'data-testid': 'incident-connection', 'data-sync': tool.sync },
    h('header', {}, h('h3', {}, connection.name), connectedBadge(connection)),
    h(
      'dl',
      { class: 'facts' },
      fact('Provider', providerTitle(connection.provider)),
      fact('Server', connection.url),
      fact(
        'Last check',
        connection.checked_at ? formatTime(connection.checked_at) : 'Never checked',
      ),
      fact('Services', servicesText(tool)),
      fact('Severities that count', tool.counts.length ? tool.counts.join(', ') : 'None'),
      fact('Last sync', lastSync),
      fact('Last webhook', webhookText(connection.last_webhook, everyProject)),
    ),
  );
}

/**
 * The last delivery; deliveries are not tied to projects, so a token of some projects (which is
 * shown no poll either) is told that they are not shown rather than that none arrived.
 */
function webhookText(webhook: Connection['last_webhook'], everyProject: boolean): string {
  if (!everyProject) return 'Not shown to a token of some projects';
  return webhook
    ? `${formatTime(webhook.received_at)} · ${webhook.event} · ${webhook.outcome}`
    : 'No delivery yet';
}

function connectedBadge(connection: Connection): HTMLElement {
  return connection.connected
    ? h('span', { class: 'badge badge-ok', 'data-testid': 'connection-status' }, 'Connected')
    : h('span', { class: 'badge badge-bad', 'data-testid': 'connection-status' }, 'Not connected');
}

function fact(term: string, value: string): HTMLElement {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}

// One finding and the repositories it was found in: the same finding of many repositories (a
// whole organisation without production deployments) is one card, not one per repository.
export interface GroupedFinding {
  finding: Finding;
  repositories: string[];
}

export function groupFindings(repositories: RepositoryFindings[]): {
  groups: GroupedFinding[];
  clean: string[];
} {
  const groups = new Map<string, GroupedFinding>();
  const clean: string[] = [];
  for (const { repository, findings } of repositories) {
    if (findings.length === 0) clean.push(repository);
    for (const finding of findings) {
      const key = JSON.stringify([finding.check, finding.severity, finding.message, finding.fix]);
      const group = groups.get(key) ?? { finding, repositories: [] };
      group.repositories.push(repository);
      groups.set(key, group);
    }
  }
  return { groups: [...groups.values()], clean };
}

function renderFindings(repositories: RepositoryFindings[]): HTMLElement {
  if (repositories.length === 0) return empty('No repositories in this scope.');
  const total = repositories.reduce((sum, repository) => sum + repository.findings.length, 0);
  const { groups, clean } = groupFindings(repositories);
  return h(
    'div',
    { class: 'findings' },
    h(
      'p',
      { class: 'section-note' },
      `${plural(total, 'finding')} over ${plural(repositories.length, 'repository', 'repositories')} in this window.`,
    ),
    groups.length === 0
      ? empty('Nothing to fix.')
      : h(
          'ul',
          {},
          groups.map(({ finding, repositories: where }) =>
            h(
              'li',
              { class: 'finding', 'data-check': finding.check },
              h(
                'p',
                { class: 'finding-message' },
                h('span', { class: `badge severity-${finding.severity}` }, finding.severity),
                ' ',
                finding.message,
              ),
              h('p', { class: 'finding-fix' }, h('strong', {}, 'Fix: '), finding.fix),
              h(
                'p',
                { class: 'finding-repositories', 'data-testid': 'finding-repositories' },
                `${where.length === 1 ? 'In' : `In ${where.length} repositories`}: ${where.join(', ')}`,
              ),
            ),
          ),
        ),
    clean.length === 0 || groups.length === 0
      ? null
      : h(
          'p',
          { class: 'section-note', 'data-testid': 'clean-repositories' },
          `Nothing to fix in: ${clean.join(', ')}`,
        ),
  );
}
