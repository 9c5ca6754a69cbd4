// The window's deployments on a timeline, the failed ones listed, and the details of the
// failure picked on either.

import type { Collected } from '../api/endpoints';
import type { Deployment } from '../api/types';
import { deploymentTimeline } from '../charts/deployment-timeline';
import type { ResponsiveChart } from '../charts/responsive-chart';
import { h, replaceChildren } from '../dom';
import { formatTime, plural } from '../format';
import { empty } from './states';
import { failureDetails } from './failure-details';

const REASON_WORDS: Record<string, string> = {
  deployment_failed: 'deployment failed',
  reverted: 'reverted',
  hotfix: 'hotfix',
  incident: 'incident',
};

export class DeploymentsPanel {
  readonly element = h('div', { class: 'deployments' });
  private chart: ResponsiveChart | null = null;
  private buttons = new Map<Deployment, HTMLButtonElement>();
  private details = h('div', { class: 'details-slot' });

  show({ items, truncated }: Collected<Deployment>): void {
    this.clear();
    if (items.length === 0) {
      replaceChildren(this.element, empty('No deployments in this window.'));
      return;
    }
    const failures = items.filter((d) => d.failed);
    const plot = h('div', { class: 'chart' });
    replaceChildren(
      this.element,
      h(
        'p',
        { class: 'section-note' },
        `${plural(items.length, 'deployment')} in this window, ${failures.length} failed.`,
        truncated ? ` Showing the newest ${items.length.toLocaleString('en')}.` : '',
      ),
      h(
        'ul',
        { class: 'legend' },
        h('li', {}, h('span', { class: 'swatch swatch-success' }), 'Succeeded'),
        h('li', {}, h('span', { class: 'swatch swatch-failure' }), 'Failed (click for why)'),
      ),
      plot,
      h('h3', {}, 'Failed deployments'),
      failures.length === 0
        ? empty('No failed deployments in this window.')
        : this.failureList(failures),
      this.details,
    );
    this.chart = deploymentTimeline(plot, items, (failure) => this.open(failure));
  }

  clear(): void {
    this.chart?.destroy();
    this.chart = null;
    this.buttons.clear();
    this.details.replaceChildren();
  }

  private failureList(failures: Deployment[]): HTMLElement {
    return h(
      'ul',
      { class: 'failure-list', 'data-testid': 'failed-deployments' },
      failures.map((failure) => {
        const reasons = failure.failure_reasons.map((r) => REASON_WORDS[r.reason] ?? r.reason);
        const button = h(
          'button',
          { type: 'button', class: 'failure-item', 'aria-expanded': 'false' },
          h('span', { class: 'failure-when' }, formatTime(failure.finished_at)),
          h('span', { class: 'failure-what' }, `${failure.repository} ${failure.ref}`),
          h('span', { class: 'failure-why' }, reasons.join(', ')),
        );
        button.addEventListener('click', () => this.open(failure));
        this.buttons.set(failure, button);
        return h('li', {}, button);
      }),
    );
  }

  private open(failure: Deployment): void {
    for (const [deployment, button] of this.buttons) {
      button.setAttribute('aria-expanded', String(deployment === failure));
    }
    const panel = failureDetails(failure, () => this.close(failure));
    replaceChildren(this.details, panel);
    panel.scrollIntoView({ block: 'nearest' });
    panel.focus({ preventScroll: true });
  }

  private close(failure: Deployment): void {
    this.details.replaceChildren();
    const button = this.buttons.get(failure);
    button?.setAttribute('aria-expanded', 'false');
    button?.focus();
  }
}
