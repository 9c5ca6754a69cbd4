// A uPlot chart that fills its container's width and follows it when the layout changes
// (a phone turned, a window resized).

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ResponsiveChart {
  chart: uPlot;
  destroy(): void;
}

export function responsiveChart(
  container: HTMLElement,
  options: Omit<uPlot.Options, 'width'>,
  data: uPlot.AlignedData,
): ResponsiveChart {
  const chart = new uPlot({ ...options, width: widthOf(container) }, data, container);
  const observer = new ResizeObserver(() => {
    const width = widthOf(container);
    if (width !== chart.width) chart.setSize({ width, height: options.height });
  });
  observer.observe(container);
  return {
    chart,
    destroy() {
      observer.disconnect();
      chart.destroy();
    },
  };
}

function widthOf(container: HTMLElement): number {
  return Math.max(200, Math.floor(container.clientWidth));
}

/** A color of the page's palette (styles/base.css), so canvas and CSS agree. */
export function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Axis times in UTC, as everywhere on the page. */
export const utc = (seconds: number): Date => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
