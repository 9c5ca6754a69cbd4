// Every deployment of the window as a point in time, its height the changes it shipped;
// failures are larger and red. Clicking near a failure picks it.

import type { Deployment } from '../api/types';
import { cssColor, responsiveChart, utc, type ResponsiveChart } from './responsive-chart';

/** How near (CSS pixels) a click must land to a failure's point to pick it. */
const PICK_RADIUS = 14;

export function deploymentTimeline(
  container: HTMLElement,
  deployments: Deployment[],
  onPickFailure: (deployment: Deployment) => void,
): ResponsiveChart {
  // uPlot wants ascending x; the API lists newest first.
  const ordered = [...deployments].sort((a, b) => a.finished_at.localeCompare(b.finished_at));
  const times = ordered.map((d) => Date.parse(d.finished_at) / 1000);
  const successes = ordered.map((d) => (d.failed ? null : d.change_count));
  const failures = ordered.map((d) => (d.failed ? d.change_count : null));

  const responsive = responsiveChart(
    container,
    {
      height: 200,
      tzDate: utc,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.15] },
      },
      axes: [
        { stroke: cssColor('--muted') },
        { stroke: cssColor('--muted'), label: 'changes shipped', size: 48 },
      ],
      series: [
        {},
        pointSeries('succeeded', cssColor('--success'), 6),
        pointSeries('failed', cssColor('--failure'), 11),
      ],
    },
    [times, successes, failures],
  );

  const { chart } = responsive;
  const nearestFailure = (): Deployment | null => {
    const { left, top } = chart.cursor;
    if (left === undefined || top === undefined || left < 0) return null;
    let best: Deployment | null = null;
    let bestDistance = PICK_RADIUS;
    for (const [i, deployment] of ordered.entries()) {
      if (!deployment.failed) continue;
      const dx = chart.valToPos(times[i], 'x') - left;
      const dy = chart.valToPos(deployment.change_count, 'y') - top;
      const distance = Math.hypot(dx, dy);
      if (distance <= bestDistance) {
        best = deployment;
        bestDistance = distance;
      }
    }
    return best;
  };
  chart.over.addEventListener('mousemove', () => {
    chart.over.style.cursor = nearestFailure() ? 'pointer' : '';
  });
  chart.over.addEventListener('click', () => {
    const failure = nearestFailure();
    if (failure) onPickFailure(failure);
  });
  chart.root.setAttribute('aria-label', 'Deployments over time; failures in red');
  return responsive;
}

function pointSeries(label: string, color: string, size: number) {
  return {
    label,
    stroke: color,
    fill: color,
    paths: () => null,
    points: { show: true, size, fill: color, stroke: color },
  };
}
