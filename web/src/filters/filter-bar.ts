// The filters bar: scope (project, repository, team, environment), window and benchmark year.
// It only reports changes; the app puts them in the URL and reloads the view.

import type { Project, Repository, Team } from '../api/types';
import { h, replaceChildren } from '../dom';
import { BENCHMARK_YEARS, ENVIRONMENTS, WINDOW_PRESETS, type Filters } from './filters';

interface FilterOptions {
  projects: Project[];
  repositories: Repository[];
  teams: Team[];
}

type Choice = [value: string, label: string];

const DAY_MS = 86_400_000;

export class FilterBar {
  private filters: Filters;
  private options: FilterOptions | null = null;
  private readonly project = select('filter-project', 'Project');
  private readonly repo = select('filter-repo', 'Repository');
  private readonly team = select('filter-team', 'Team');
  private readonly environment = select('filter-environment', 'Environment');
  private readonly window = select('filter-window', 'Window');
  private readonly since = dateInput('filter-since', 'Since');
  private readonly until = dateInput('filter-until', 'Until (not included)');
  private readonly benchmark = select('filter-benchmark', 'Benchmark');
  private readonly problem = h('p', { class: 'filter-problem', role: 'alert' });
  readonly element: HTMLElement;

  constructor(
    initial: Filters,
    private readonly onChange: (filters: Filters) => void,
  ) {
    this.filters = initial;
    this.element = h(
      'form',
      { class: 'filter-bar', 'aria-label': 'Filters', 'data-testid': 'filters' },
      this.project.label,
      this.repo.label,
      this.team.label,
      this.environment.label,
      this.window.label,
      this.since.label,
      this.until.label,
      this.benchmark.label,
      this.problem,
    );
    this.element.addEventListener('submit', (event) => event.preventDefault());
    whenChanged(this.project.control, (project) => this.changeProject(project));
    whenChanged(this.repo.control, (repo) => this.change({ repo }));
    whenChanged(this.team.control, (team) => this.change({ team }));
    whenChanged(this.environment.control, (environment) => this.change({ environment }));
    whenChanged(this.window.control, (window) => this.changeWindow(window));
    whenChanged(this.since.control, (since) => this.change({ since }));
    whenChanged(this.until.control, (until) => this.change({ until }));
    whenChanged(this.benchmark.control, (benchmark) =>
      this.change({ benchmark: benchmark as Filters['benchmark'] }),
    );
    this.render();
  }

  setOptions(options: FilterOptions): void {
    this.options = options;
    this.render();
  }

  showProblem(message: string): void {
    this.problem.textContent = message;
  }

  private change(patch: Partial<Filters>): void {
    this.filters = { ...this.filters, ...patch };
    this.render();
    this.onChange(this.filters);
  }

  /** A repository outside the new project is dropped rather than left to answer 404. */
  private changeProject(project: string): void {
    const keepRepo =
      !project ||
      !this.options ||
      this.options.repositories.some(
        (r) => r.repository === this.filters.repo && r.projects.includes(project),
      );
    this.change({ project, repo: keepRepo ? this.filters.repo : '' });
  }

  /** Custom starts from the range the preset covered, so the view stays the same until edited. */
  private changeWindow(value: string): void {
    if (value !== 'custom') {
      this.change({ window: value as Filters['window'], since: '', until: '' });
      return;
    }
    const days = Number.parseInt(this.filters.window, 10) || 90;
    const now = Date.now();
    this.change({
      window: 'custom',
      since: isoDay(now - days * DAY_MS),
      until: isoDay(now + DAY_MS),
    });
  }

  private render(): void {
    const f = this.filters;
    const o = this.options;
    const projects = o?.projects.map((p): Choice => [p.name, p.name]) ?? [];
    const repositories =
      o?.repositories
        .filter((r) => !f.project || r.projects.includes(f.project))
        .map((r): Choice => [r.repository, r.repository]) ?? [];
    const teams = o?.teams.map((t): Choice => [t.name, t.name]) ?? [];
    fill(this.project.control, [['', 'All projects'], ...projects], f.project, Boolean(o));
    fill(this.repo.control, [['', 'All repositories'], ...repositories], f.repo, Boolean(o));
    fill(
      this.team.control,
      [['', o && teams.length === 0 ? 'No teams configured' : 'All teams'], ...teams],
      f.team,
      Boolean(o),
    );
    this.team.control.disabled = Boolean(o) && teams.length === 0 && !f.team;
    fill(
      this.environment.control,
      ENVIRONMENTS.map((e): Choice => [e, e]),
      f.environment,
    );
    fill(
      this.window.control,
      [
        ...WINDOW_PRESETS.map((w): Choice => [w, `Last ${Number.parseInt(w, 10)} days`]),
        ['custom', 'Custom…'],
      ],
      f.window,
    );
    fill(
      this.benchmark.control,
      BENCHMARK_YEARS.map((y): Choice => [y, `DORA ${y}`]),
      f.benchmark,
    );
    const custom = f.window === 'custom';
    this.since.label.hidden = !custom;
    this.until.label.hidden = !custom;
    this.since.control.value = f.since;
    this.until.control.value = f.until;
  }
}

function whenChanged(
  control: HTMLSelectElement | HTMLInputElement,
  handler: (value: string) => void,
): void {
  control.addEventListener('change', () => handler(control.value));
}

function select(testId: string, text: string) {
  const control = h('select', { 'data-testid': testId });
  return { control, label: h('label', { class: 'filter' }, h('span', {}, text), control) };
}

function dateInput(testId: string, text: string) {
  const control = h('input', { type: 'date', 'data-testid': testId });
  return { control, label: h('label', { class: 'filter' }, h('span', {}, text), control) };
}

/**
 * Sets the choices. A current value not among them stays selected, so the select never shows
 * another filter than the one applied: as is while the options load, marked once they have.
 */
function fill(control: HTMLSelectElement, choices: Choice[], current: string, loaded = true): void {
  if (!choices.some(([value]) => value === current)) {
    choices = [...choices, [current, loaded ? `${current} (not found)` : current]];
  }
  replaceChildren(
    control,
    choices.map(([value, label]) => h('option', { value, selected: value === current }, label)),
  );
  control.value = current;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
