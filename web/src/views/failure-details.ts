// Why a deployment counts as failed, with the evidence for each reason, and how it was
// restored (docs/metrics.md, "Change fail rate" and "Failed deployment recovery time").

import type { Deployment, FailureReason } from '../api/types';
import { h } from '../dom';
import { formatDuration, formatTime, plural, shortSha } from '../format';

const LINKED_BY: Record<string, string> = {
  named: 'the incident names this deployment',
  commit: 'the incident names a commit this deployment first shipped',
  change_event:
    'tied by a PagerDuty change event related to the incident, which names this deployment or a commit it first shipped',
  window: 'the incident began soon after this deployment, the last one before it',
};

const REASON_TITLES: Record<FailureReason['reason'], string> = {
  deployment_failed: 'Deployment failed',
  reverted: 'Reverted',
  hotfix: 'Hotfix',
  incident: 'Incident',
};

function reasonEvidence(reason: FailureReason): (Node | string)[] {
  const code = (text: string) => h('code', {}, text);
  switch (reason.reason) {
    case 'deployment_failed':
      return ['The deployment itself finished with a failure.'];
    case 'reverted':
      return [
        'Commit ',
        code(shortSha(reason.commit ?? '?')),
        ' reverts ',
        code(shortSha(reason.reverted_commit ?? '?')),
        ', which this deployment shipped.',
      ];
    case 'hotfix':
      return [
        'Hotfix branch ',
        code(reason.branch ?? '?'),
        ' was merged',
        ...(reason.commit ? [' in ', code(shortSha(reason.commit))] : []),
        ' soon after this deployment.',
      ];
    case 'incident':
      return [
        'Incident ',
        h('strong', {}, reason.incident ?? '?'),
        `: ${LINKED_BY[reason.linked_by ?? ''] ?? `linked by ${reason.linked_by ?? 'an unknown rule'}`}.`,
      ];
  }
}

function recovery(deployment: Deployment): string {
  if (deployment.recovery_s === null) return 'Not restored yet.';
  const after = `Restored after ${formatDuration(deployment.recovery_s)}`;
  if (deployment.restored_by) return `${after} by deployment ${deployment.restored_by}.`;
  if (deployment.restored_by_incident) {
    return `${after}, when incident ${deployment.restored_by_incident} was resolved.`;
  }
  return `${after}.`;
}

export function failureDetails(deployment: Deployment, onClose: () => void): HTMLElement {
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close details' }, '×');
  close.addEventListener('click', onClose);
  return h(
    'section',
    {
      class: 'failure-details',
      'data-testid': 'failure-details',
      'aria-label': `Why ${deployment.repository} ${deployment.ref} failed`,
      tabindex: -1,
    },
    h('header', {}, h('h3', {}, `${deployment.repository} ${deployment.ref}`), close),
    h(
      'p',
      { class: 'failure-facts' },
      `Finished ${formatTime(deployment.finished_at)} (${deployment.status}) · commit `,
      h('code', {}, shortSha(deployment.sha)),
      ` · ${plural(deployment.change_count, 'change')}`,
      deployment.proxy ? ' · a merge standing in for a deployment' : '',
    ),
    h(
      'ul',
      { class: 'reasons' },
      deployment.failure_reasons.map((reason) =>
        h(
          'li',
          { 'data-reason': reason.reason },
          h(
            'span',
            { class: `reason-tag reason-${reason.reason}` },
            REASON_TITLES[reason.reason] ?? reason.reason,
          ),
          ' ',
          reasonEvidence(reason),
        ),
      ),
    ),
    h('p', { class: 'recovery', 'data-testid': 'failure-recovery' }, recovery(deployment)),
  );
}
