// One function per API call the dashboard makes (the GraphQL ones are in queries.ts).

import type { ApiClient, Params } from './client';
import { queryDeployments, queryIntegrationsScreen } from './queries';
import type {
  Deployment,
  DoraReport,
  Incident,
  Page,
  Project,
  PullRequest,
  Repository,
  Team,
} from './types';

/** Deployments shown at most: a window with more draws its newest ones and says so. */
const DEPLOYMENT_CAP = 2000;
/** The REST API's largest page (docs/api.md, "Limits"). */
const LARGEST_PAGE = 100;

export const fetchProjects = (api: ApiClient, signal?: AbortSignal) =>
  api.get<Page<Project>>('/v1/projects', {}, signal).then((page) => page.items);

export const fetchTeams = (api: ApiClient, signal?: AbortSignal) =>
  api.get<Page<Team>>('/v1/teams', {}, signal).then((page) => page.items);

export const fetchRepositories = (api: ApiClient, signal?: AbortSignal) =>
  collectPages<Repository>(api, '/v1/repositories', {}, Infinity, signal).then((all) => all.items);

export const fetchDora = (api: ApiClient, scope: Params, benchmark: string, signal?: AbortSignal) =>
  api.get<DoraReport>('/v1/metrics/dora', { ...scope, benchmark, trend: 'weekly' }, signal);

export const fetchSlowestPullRequests = (api: ApiClient, scope: Params, signal?: AbortSignal) =>
  api
    .get<Page<PullRequest>>(
      '/v1/pull-requests',
      { ...scope, order: 'slowest', limit: '10' },
      signal,
    )
    .then((page) => page.items);

/** Incidents listed at most: one request; a window with more lists its newest and says so. */
const INCIDENT_CAP = 100;

/** The window's incidents, newest begun first, each with its deployment or why none. */
export const fetchIncidents = (
  api: ApiClient,
  scope: Params,
  signal?: AbortSignal,
): Promise<Collected<Incident>> =>
  api
    .get<Page<Incident>>('/v1/incidents', { ...scope, limit: String(INCIDENT_CAP) }, signal)
    .then((page) => ({ items: page.items, truncated: Boolean(page.next) }));

/** Through GraphQL: one request for a window of at most a hundred deployments. */
export const fetchDeployments = (
  api: ApiClient,
  scope: Params,
  signal?: AbortSignal,
): Promise<Collected<Deployment>> => queryDeployments(api, scope, DEPLOYMENT_CAP, signal);

/** The connections and the findings of the scope, in one GraphQL request. */
export const fetchIntegrationsScreen = queryIntegrationsScreen;

export interface Collected<T> {
  items: T[];
  /** True when more rows existed than `cap`. */
  truncated: boolean;
}

/** Follows `next` from page to page until the last page or `cap` rows. */
async function collectPages<T>(
  api: ApiClient,
  path: string,
  params: Params,
  cap: number,
  signal?: AbortSignal,
): Promise<Collected<T>> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const limit = String(Math.min(LARGEST_PAGE, cap - items.length));
    const page = await api.get<Page<T>>(
      path,
      { ...params, limit, cursor: cursor ?? undefined },
      signal,
    );
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < cap);
  return { items: items.slice(0, cap), truncated: Boolean(cursor) };
}
