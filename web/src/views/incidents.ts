// The incidents of the scope and window, newest begun first: each with the deployment a rule tied
// it to and which rule (linked_by), or "Not tied" and why no rule did (not_tied), as
// GET /v1/incidents says.

import type { Collected } from '../api/endpoints';
import type { Incident } from '../api/types';
import { h } from '../dom';
import { formatTime, plural } from '../format';
import { empty } from './states';

/** How each rule tied the incident to its deployment, in people's words. */
const RULE_WORDS: Record<string, string> = {
  named: 'the incident names it',
  commit: 'the incident names a commit it shipped',
  change_event: 'a PagerDuty change event related to the incident names it',
  window: 'the last deployment before it began',
};

/** Why an incident was tied, or not: the rule's words, or the reason no rule applied. */
export function tiedText(incident: Incident): string {
  if (incident.linked_by === 'none' || !incident.deployment) {
    return incident.not_tied ? `Not tied: ${incident.not_tied}` : 'Not tied';
  }
  const rule = RULE_WORDS[incident.linked_by] ?? incident.linked_by;
  return `${incident.deployment} (${rule})`;
}

export function renderIncidents({ items, truncated }: Collected<Incident>): HTMLElement {
  if (items.length === 0) return empty('No incidents in this window.');
  const tied = items.filter((incident) => incident.linked_by !== 'none').length;
  return h(
    'div',
    { class: 'incidents' },
    h(
      'p',
      { class: 'section-note' },
      `${plural(items.length, 'incident')} in this window, ${tied} tied to a deployment.`,
      truncated ? ` Showing the newest ${items.length.toLocaleString('en')}.` : '',
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table', 'data-testid': 'incident-list' },
        h('caption', {}, 'Incidents and the deployments they were tied to'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Incident', 'Repository', 'Severity', 'Began', 'Resolved', 'Tied to'].map((text) =>
              h('th', { scope: 'col' }, text),
            ),
          ),
        ),
        h('tbody', {}, items.map(incidentRow)),
      ),
    ),
  );
}

function incidentRow(incident: Incident): HTMLElement {
  const name = `${incident.id} ${incident.title}`.trim();
  return h(
    'tr',
    {
      'data-testid': 'incident',
      'data-incident': incident.id,
      'data-linked-by': incident.linked_by,
    },
    h(
      'th',
      { scope: 'row' },
      incident.link ? h('a', { href: incident.link, rel: 'noopener noreferrer' }, name) : name,
    ),
    h('td', {}, incident.repository),
    h('td', {}, incident.severity),
    h('td', {}, formatTime(incident.started_at)),
    h('td', {}, incident.resolved_at ? formatTime(incident.resolved_at) : 'Open'),
    h(
      'td',
      { class: incident.linked_by === 'none' ? 'not-tied' : 'tied', 'data-testid': 'incident-tie' },
      tiedText(incident),
    ),
  );
}
