// The mark the browser test reads as first meaningful paint: set once per page load, when the
// overview's tiles first show real numbers.

const OVERVIEW_READY = 'leadline:overview-ready';

let marked = false;

export function markOverviewReady(): void {
  if (marked) return;
  marked = true;
  performance.mark(OVERVIEW_READY);
}
