// Weekly lead time by stage: one stacked bar per week (coding, pickup, review, deploy medians).
// uPlot draws bars from zero, so each series holds the running total up to its stage and the
// series are drawn tallest first: each shorter bar then covers the lower part of the one before.

import uPlot from 'uplot';
import type { TrendPoint } from '../api/types';
import { cssColor, responsiveChart, utc, type ResponsiveChart } from './responsive-chart';

export const STAGES = ['coding', 'pickup', 'review', 'deploy'] as const;
type Stage = (typeof STAGES)[number];

const WEEK = 7 * 24 * 3600;

export const stageOf = (point: TrendPoint, stage: Stage): number | null =>
  point[`${stage}_median_s`] ?? null;

const hasStages = (point: TrendPoint): boolean =>
  STAGES.some((stage) => stageOf(point, stage) !== null);

export const hasStageData = (trend: TrendPoint[]): boolean => trend.some(hasStages);

/** Seconds shown in the unit that keeps the axis readable. */
function axisUnit(maxSeconds: number): { seconds: number; label: string } {
  if (maxSeconds < 2 * 3600) return { seconds: 60, label: 'minutes' };
  if (maxSeconds < 3 * 86400) return { seconds: 3600, label: 'hours' };
  return { seconds: 86400, label: 'days' };
}

function runningTotal(point: TrendPoint, last: Stage): number {
  const included = STAGES.slice(0, STAGES.indexOf(last) + 1);
  return included.reduce((sum, stage) => sum + (stageOf(point, stage) ?? 0), 0);
}

export function stageChart(
  container: HTMLElement,
  trend: TrendPoint[],
  onHover: (point: TrendPoint | null) => void,
): ResponsiveChart {
  const unit = axisUnit(Math.max(...trend.map((point) => runningTotal(point, 'deploy'))));
  const drawOrder = [...STAGES].reverse();
  const stacked = drawOrder.map((last) =>
    trend.map((point) => (hasStages(point) ? runningTotal(point, last) / unit.seconds : null)),
  );
  const weeks = trend.map((point) => Date.parse(point.week_start) / 1000);
  const bars = uPlot.paths.bars!({ size: [0.7, 48], align: 1 });

  const { chart, destroy } = responsiveChart(
    container,
    {
      height: 220,
      tzDate: utc,
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => [min, max + WEEK] },
        y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
      },
      axes: [
        { stroke: cssColor('--muted') },
        { stroke: cssColor('--muted'), label: unit.label, size: 48 },
      ],
      series: [
        {},
        ...drawOrder.map((stage) => ({
          label: stage,
          fill: cssColor(`--stage-${stage}`),
          stroke: cssColor(`--stage-${stage}`),
          paths: bars,
          points: { show: false },
        })),
      ],
      hooks: {
        setCursor: [(u) => onHover(u.cursor.idx == null ? null : (trend[u.cursor.idx] ?? null))],
      },
    },
    [weeks, ...stacked],
  );
  chart.root.setAttribute('aria-label', 'Median lead time per week, stacked by stage');
  return { chart, destroy };
}
