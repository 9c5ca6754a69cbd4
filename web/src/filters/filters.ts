// The dashboard's filters, kept in the page's query string so that a view can be shared and
// reloaded: `?project=payments&window=30d`. Defaults are left out of the URL.

import type { Params } from '../api/client';

export const WINDOW_PRESETS = ['7d', '30d', '60d', '90d'] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];
export const BENCHMARK_YEARS = ['2023', '2024'] as const;
export type BenchmarkYear = (typeof BENCHMARK_YEARS)[number];
export const ENVIRONMENTS = ['production'] as const;

export interface Filters {
  project: string;
  repo: string;
  team: string;
  environment: string;
  /** A preset, or 'custom' for the since/until dates. */
  window: WindowPreset | 'custom';
  /** Custom window bounds as YYYY-MM-DD (UTC days); `until` is excluded, as in the API. */
  since: string;
  until: string;
  benchmark: BenchmarkYear;
}

const DEFAULT_FILTERS: Readonly<Filters> = {
  project: '',
  repo: '',
  team: '',
  environment: 'production',
  window: '90d',
  since: '',
  until: '',
  benchmark: '2023',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function filtersFromQuery(query: URLSearchParams): Filters {
  const since = query.get('since') ?? '';
  const until = query.get('until') ?? '';
  const custom = DATE.test(since) || DATE.test(until);
  return {
    project: query.get('project') ?? '',
    repo: query.get('repo') ?? '',
    team: query.get('team') ?? '',
    environment: oneOf(query.get('environment'), ENVIRONMENTS, 'production'),
    window: custom ? 'custom' : oneOf(query.get('window'), WINDOW_PRESETS, DEFAULT_FILTERS.window),
    since: custom && DATE.test(since) ? since : '',
    until: custom && DATE.test(until) ? until : '',
    benchmark: oneOf(query.get('benchmark'), BENCHMARK_YEARS, DEFAULT_FILTERS.benchmark),
  };
}

export function filtersToQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  const put = (key: keyof Filters) => {
    if (filters[key] !== DEFAULT_FILTERS[key]) query.set(key, filters[key]);
  };
  put('project');
  put('repo');
  put('team');
  put('environment');
  if (filters.window === 'custom') {
    put('since');
    put('until');
  } else {
    put('window');
  }
  put('benchmark');
  return query;
}

/** The scope and window parameters shared by the read endpoints. */
export function scopeParams(filters: Filters): Params {
  const custom = filters.window === 'custom';
  return {
    project: filters.project,
    repo: filters.repo,
    team: filters.team,
    environment: filters.environment,
    window: custom ? undefined : filters.window,
    since: custom && filters.since ? `${filters.since}T00:00:00Z` : undefined,
    until: custom && filters.until ? `${filters.until}T00:00:00Z` : undefined,
  };
}
