// The five DORA tiles of the overview. Each tile carries the API's exact number in data-value
// (absent when the API has none), so what the page shows can be checked against the API.

import type { DoraReport, Level, TrendPoint } from '../api/types';
import { sparkline } from '../charts/sparkline';
import { h } from '../dom';
import {
  formatDay,
  formatDuration,
  formatFrequency,
  formatPercent,
  NO_VALUE,
  plural,
} from '../format';

interface TileSpec {
  testId: string;
  title: string;
  value: number | null;
  display: string;
  unit?: string;
  detail?: string;
  sample: string;
  level?: Level;
  trend: (point: TrendPoint) => number | null;
}

function tileSpecs({ summary: s }: DoraReport): TileSpec[] {
  const frequency = formatFrequency(s.deployment_frequency_per_day);
  return [
    {
      testId: 'tile-deployment-frequency',
      title: 'Deployment frequency',
      value: s.deployment_frequency_per_day,
      display: frequency.value,
      unit: frequency.unit,
      sample: plural(s.deployments, 'deployment'),
      level: s.levels.deployment_frequency,
      trend: (p) => p.deployments,
    },
    {
      testId: 'tile-lead-time',
      title: 'Lead time for changes',
      value: s.lead_time_median_s,
      display: formatDuration(s.lead_time_median_s),
      unit: 'median',
      detail:
        s.lead_time_median_s === null
          ? undefined
          : `p75 ${formatDuration(s.lead_time_p75_s)} · p90 ${formatDuration(s.lead_time_p90_s)}`,
      sample: plural(s.lead_time_sample, 'change'),
      level: s.levels.lead_time,
      trend: (p) => p.lead_time_median_s,
    },
    {
      testId: 'tile-change-fail-rate',
      title: 'Change fail rate',
      value: s.change_fail_rate,
      display: formatPercent(s.change_fail_rate),
      sample: `${s.failed_deployments} of ${plural(s.deployment_attempts, 'deployment')}`,
      level: s.levels.change_fail_rate,
      trend: (p) => p.change_fail_rate,
    },
    {
      testId: 'tile-recovery',
      title: 'Failed deployment recovery time',
      value: s.recovery_median_s,
      display: formatDuration(s.recovery_median_s),
      unit: 'median',
      detail:
        s.unrecovered_failures > 0
          ? `${plural(s.unrecovered_failures, 'failure')} not restored yet`
          : undefined,
      sample: plural(s.recovery.count, 'recovery', 'recoveries'),
      level: s.levels.recovery,
      trend: (p) => p.recovery_median_s,
    },
    {
      testId: 'tile-rework-rate',
      title: 'Rework rate',
      value: s.rework_rate,
      display: formatPercent(s.rework_rate),
      sample: `${s.rework_deployments} of ${plural(s.deployment_attempts, 'deployment')}`,
      trend: (p) => p.rework_rate,
    },
  ];
}

export function renderTiles(report: DoraReport): HTMLElement {
  const { window, levels } = report.summary;
  const proxyNote = report.proxy
    ? `Deployments inferred from merges into the default branch in ${report.proxy_repositories} of ${plural(report.scope.repositories.length, 'repository', 'repositories')}`
    : null;
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'section-note' },
      `${formatDay(window.since)} to ${formatDay(window.until)} (${Math.round(window.days)} days), `,
      `${plural(report.scope.repositories.length, 'repository', 'repositories')}, levels of DORA ${levels.benchmark}.`,
    ),
    proxyNote
      ? h(
          'p',
          { class: 'proxy-note' },
          h('span', { class: 'proxy-marker' }, 'proxy'),
          ` ${proxyNote}.`,
        )
      : null,
    h(
      'div',
      { class: 'tiles' },
      tileSpecs(report).map((spec) => tile(spec, report, proxyNote)),
    ),
  );
}

function tile(spec: TileSpec, report: DoraReport, proxyNote: string | null): HTMLElement {
  const trend = sparkline(report.trend.map(spec.trend), `${spec.title}, week by week`);
  return h(
    'article',
    {
      class: 'tile',
      'data-testid': spec.testId,
      'data-value': spec.value === null ? null : String(spec.value),
    },
    h(
      'header',
      { class: 'tile-header' },
      h('h3', {}, spec.title),
      spec.level ? levelBadge(spec.level, report.summary.levels.benchmark) : null,
      proxyNote
        ? h('span', { class: 'proxy-marker', title: proxyNote, tabindex: 0 }, 'proxy')
        : null,
    ),
    h(
      'p',
      { class: 'tile-figure' },
      h('span', { class: 'tile-value', 'data-testid': 'tile-value' }, spec.display),
      spec.unit && spec.display !== NO_VALUE
        ? h('span', { class: 'tile-unit' }, ` ${spec.unit}`)
        : null,
    ),
    spec.detail ? h('p', { class: 'tile-detail' }, spec.detail) : null,
    h('p', { class: 'tile-sample', 'data-testid': 'tile-sample' }, spec.sample),
    trend ?? h('p', { class: 'tile-no-trend' }, 'Not enough weeks for a trend'),
  );
}

function levelBadge(level: string, benchmark: number): HTMLElement {
  return h(
    'span',
    { class: `level level-${level.toLowerCase()}`, title: `DORA ${benchmark} benchmark level` },
    level,
  );
}
