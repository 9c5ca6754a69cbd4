// Where lead time goes: the median of each pull request stage over the window, the same
// week by week as stacked bars, and the slowest pull requests.

import type { DoraReport, PullRequest, TrendPoint } from '../api/types';
import { hasStageData, stageChart, stageOf, STAGES } from '../charts/stage-chart';
import type { ResponsiveChart } from '../charts/responsive-chart';
import { h, replaceChildren } from '../dom';
import { formatDay, formatDuration, formatTime, plural } from '../format';
import { empty } from './states';

const STAGE_TITLES = { coding: 'Coding', pickup: 'Pickup', review: 'Review', deploy: 'Deploy' };

export function renderStageSummary(report: DoraReport): HTMLElement {
  const stages = report.pull_request_stages;
  return h(
    'div',
    { class: 'stage-summary' },
    h(
      'p',
      { class: 'section-note' },
      `Medians over ${plural(stages.merged, 'merged pull request')}.`,
    ),
    h(
      'dl',
      { class: 'stage-medians' },
      [...STAGES, 'total' as const].map((stage) =>
        h(
          'div',
          { class: `stage-median stage-${stage}`, 'data-testid': `stage-${stage}` },
          h('dt', {}, stage === 'total' ? 'Total' : STAGE_TITLES[stage]),
          h('dd', {}, formatDuration(stages[stage].median_s)),
          h('dd', { class: 'stage-count' }, plural(stages[stage].count, 'PR', 'PRs')),
        ),
      ),
    ),
  );
}

/** Fills `slot` (already on the page, so the chart knows its width) with the weekly chart. */
export function renderStageTrend(slot: HTMLElement, trend: TrendPoint[]): ResponsiveChart | null {
  if (!hasStageData(trend)) {
    replaceChildren(
      slot,
      empty('No weekly stage figures: no pull request was merged in these weeks.'),
    );
    return null;
  }
  const hint = 'Hover a week for its stages.';
  const readout = h('p', { class: 'chart-readout', 'aria-live': 'polite' }, hint);
  const plot = h('div', { class: 'chart' });
  replaceChildren(slot, legend(), plot, readout);
  return stageChart(plot, trend, (point) => {
    readout.textContent = point ? describeWeek(point) : hint;
  });
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend' },
    STAGES.map((stage) =>
      h('li', {}, h('span', { class: `swatch swatch-${stage}` }), STAGE_TITLES[stage]),
    ),
  );
}

function describeWeek(point: TrendPoint): string {
  const parts = STAGES.map(
    (stage) => `${STAGE_TITLES[stage].toLowerCase()} ${formatDuration(stageOf(point, stage))}`,
  );
  return `Week of ${formatDay(point.week_start)}: ${parts.join(', ')}`;
}

export function renderSlowestPullRequests(pullRequests: PullRequest[]): HTMLElement {
  const headings = [
    'Pull request',
    'Author',
    'Merged',
    'Coding',
    'Pickup',
    'Review',
    'Deploy',
    'Total',
  ];
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data-table', 'data-testid': 'slowest-pull-requests' },
      h('caption', {}, 'Slowest pull requests (first commit to production)'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headings.map((text) => h('th', { scope: 'col' }, text)),
        ),
      ),
      h(
        'tbody',
        {},
        pullRequests.map((pr) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, `${pr.repository} #${pr.number}`),
            h('td', {}, pr.author),
            h('td', {}, formatTime(pr.merged_at)),
            h('td', { class: 'number' }, formatDuration(pr.coding_s)),
            h('td', { class: 'number' }, formatDuration(pr.pickup_s)),
            h('td', { class: 'number' }, formatDuration(pr.review_s)),
            h('td', { class: 'number' }, formatDuration(pr.deploy_s)),
            h('td', { class: 'number total' }, formatDuration(pr.total_s)),
          ),
        ),
      ),
    ),
  );
}
