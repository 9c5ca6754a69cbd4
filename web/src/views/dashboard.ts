// The main screen: the five DORA tiles, the lead-time breakdown, the deployments timeline and the
// incidents with the deployments they were tied to. Its four API calls go out together; each part
// draws as soon as its own answer lands, the tiles first of all.

import {
  fetchDeployments,
  fetchDora,
  fetchIncidents,
  fetchSlowestPullRequests,
} from '../api/endpoints';
import type { ResponsiveChart } from '../charts/responsive-chart';
import { h, replaceChildren } from '../dom';
import { scopeParams, type Filters } from '../filters/filters';
import { LatestOnly } from '../latest-only';
import { markOverviewReady } from '../overview-ready';
import { DeploymentsPanel } from './deployments';
import { renderIncidents } from './incidents';
import { renderSlowestPullRequests, renderStageSummary, renderStageTrend } from './lead-time';
import { empty, loading } from './states';
import { renderTiles } from './tiles';
import { Section, type View, type ViewContext } from './view';

export class DashboardView implements View {
  private readonly overview = new Section('Overview', 'overview');
  private readonly leadTime = new Section('Lead-time breakdown', 'lead-time');
  private readonly deployments = new Section('Deployments', 'deployments');
  private readonly deploymentsPanel = new DeploymentsPanel();
  private readonly incidents = new Section('Incidents', 'incidents');
  private readonly loads = new LatestOnly();
  private stageChart: ResponsiveChart | null = null;
  readonly element = h(
    'div',
    { class: 'view dashboard' },
    this.overview.element,
    this.leadTime.element,
    this.deployments.element,
    this.incidents.element,
  );

  constructor(private readonly context: ViewContext) {
    replaceChildren(this.overview.body, loading('metrics'));
    replaceChildren(this.leadTime.body, loading('pull requests'));
    replaceChildren(this.deployments.body, loading('deployments'));
    replaceChildren(this.incidents.body, loading('incidents'));
  }

  load(filters: Filters): void {
    const signal = this.loads.start();
    const { api } = this.context;
    const scope = scopeParams(filters);
    const dora = fetchDora(api, scope, filters.benchmark, signal);
    const slowest = fetchSlowestPullRequests(api, scope, signal);
    const deployments = fetchDeployments(api, scope, signal);
    const incidents = fetchIncidents(api, scope, signal);

    void this.overview.show(this.context, 'the metrics', dora, (report) => {
      replaceChildren(this.overview.body, renderTiles(report));
      markOverviewReady();
    });
    void this.leadTime.show(
      this.context,
      'the lead-time breakdown',
      Promise.all([dora, slowest]),
      ([report, pullRequests]) => {
        this.stageChart?.destroy();
        this.stageChart = null;
        if (report.pull_request_stages.merged === 0) {
          replaceChildren(this.leadTime.body, empty('No pull requests merged in this window.'));
          return;
        }
        const trendSlot = h('div', { class: 'stage-trend' });
        replaceChildren(
          this.leadTime.body,
          renderStageSummary(report),
          trendSlot,
          renderSlowestPullRequests(pullRequests),
        );
        this.stageChart = renderStageTrend(trendSlot, report.trend);
      },
    );
    void this.deployments.show(this.context, 'the deployments', deployments, (collected) => {
      replaceChildren(this.deployments.body, this.deploymentsPanel.element);
      this.deploymentsPanel.show(collected);
    });
    void this.incidents.show(this.context, 'the incidents', incidents, (collected) =>
      replaceChildren(this.incidents.body, renderIncidents(collected)),
    );
  }

  dispose(): void {
    this.loads.stop();
    this.stageChart?.destroy();
    this.deploymentsPanel.clear();
  }
}
