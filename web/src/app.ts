// The page: sign-in until a token is accepted or a person is signed in with the identity
// provider (a session cookie the server set), then the header, the filters bar and one screen
// at a time. The screen is chosen by the URL's fragment (#/integrations) and the filters live in
// its query string, so a view can be shared and reloaded.

import { ApiClient, ApiError } from './api/client';
import { fetchProjects, fetchRepositories, fetchTeams } from './api/endpoints';
import { h, replaceChildren } from './dom';
import { FilterBar } from './filters/filter-bar';
import { filtersFromQuery, filtersToQuery, type Filters } from './filters/filters';
import {
  endSession,
  fetchPerson,
  fetchProvider,
  forgetToken,
  storedToken,
  storeToken,
} from './session';
import { DashboardView } from './views/dashboard';
import { IntegrationsView } from './views/integrations';
import { signInView } from './views/sign-in';
import { SESSION_ENDED, type View, type ViewContext } from './views/view';

const SCREENS = {
  '#/': { title: 'Dashboard', create: (context: ViewContext) => new DashboardView(context) },
  '#/integrations': {
    title: 'Integrations',
    create: (context: ViewContext) => new IntegrationsView(context),
  },
} as const;
type ScreenRoute = keyof typeof SCREENS;

function currentRoute(): ScreenRoute {
  return location.hash in SCREENS ? (location.hash as ScreenRoute) : '#/';
}

export class App {
  private view: View | null = null;
  private stopListening: (() => void) | null = null;
  /** Counts sessions, so that a late answer of an ended one cannot end the next. */
  private session = 0;

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    const token = storedToken();
    if (token) {
      this.signedIn(token, null);
      return;
    }
    // Only a server with an identity provider can have set a session cookie.
    void fetchProvider()
      .then((provider) => (provider ? fetchPerson() : null))
      .then((person) => {
        if (person) this.signedIn(null, person);
        else this.signIn(null);
      });
  }

  private signIn(message: string | null): void {
    this.teardown();
    this.session += 1;
    document.title = 'Sign in · Leadline';
    replaceChildren(
      this.root,
      signInView(message, (token) => {
        storeToken(token);
        this.signedIn(token, null);
      }),
    );
  }

  private signOut(message: string | null, person: string | null): void {
    forgetToken();
    if (person === null) {
      this.signIn(message);
      return;
    }
    // The session ends on the server before the sign-in page shows, so a reload cannot revive it.
    void endSession().then(() => this.signIn(message));
  }

  /** `token` null: `person` signed in with the identity provider and the cookie authenticates. */
  private signedIn(token: string | null, person: string | null): void {
    this.teardown();
    const session = ++this.session;
    const context: ViewContext = {
      api: new ApiClient(token),
      signOut: (message) => {
        if (session === this.session) this.signOut(message, person);
      },
    };
    let filters = filtersFromQuery(new URLSearchParams(location.search));
    const main = h('main', { class: 'content' });
    const nav = h('nav', { class: 'tabs', 'aria-label': 'Screens' });
    const signOutButton = h(
      'button',
      { type: 'button', class: 'sign-out', 'data-testid': 'sign-out' },
      'Sign out',
    );
    signOutButton.addEventListener('click', () => context.signOut(null));
    const bar = new FilterBar(filters, (changed) => {
      filters = changed;
      history.replaceState(null, '', urlFor(filters, location.hash));
      this.view?.load(filters);
    });

    const showScreen = () => {
      const route = currentRoute();
      this.view?.dispose();
      this.view = SCREENS[route].create(context);
      document.title = `${SCREENS[route].title} · Leadline`;
      replaceChildren(
        nav,
        Object.entries(SCREENS).map(([href, screen]) =>
          h('a', { href, 'aria-current': href === route ? 'page' : null }, screen.title),
        ),
      );
      replaceChildren(main, this.view.element);
      this.view.load(filters);
    };
    window.addEventListener('hashchange', showScreen);
    this.stopListening = () => window.removeEventListener('hashchange', showScreen);

    replaceChildren(
      this.root,
      h(
        'header',
        { class: 'top' },
        h('span', { class: 'brand' }, 'Leadline'),
        nav,
        person ? h('span', { class: 'signed-in-as', 'data-testid': 'signed-in-as' }, person) : null,
        signOutButton,
      ),
      bar.element,
      main,
    );
    showScreen();
    void loadFilterOptions(context, bar);
  }

  private teardown(): void {
    this.stopListening?.();
    this.stopListening = null;
    this.view?.dispose();
    this.view = null;
  }
}

function urlFor(filters: Filters, hash: string): string {
  const query = filtersToQuery(filters).toString();
  return `${location.pathname}${query ? `?${query}` : ''}${hash}`;
}

/** Fetched beside the first screen's data: the filters work before these arrive. */
async function loadFilterOptions(context: ViewContext, bar: FilterBar): Promise<void> {
  const { api } = context;
  const [projects, repositories, teams] = await Promise.allSettled([
    fetchProjects(api),
    fetchRepositories(api),
    fetchTeams(api),
  ]);
  const problems = [projects, repositories, teams].flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (problems.some((error) => error instanceof ApiError && error.unauthorized)) {
    context.signOut(SESSION_ENDED);
    return;
  }
  bar.setOptions({
    projects: projects.status === 'fulfilled' ? projects.value : [],
    repositories: repositories.status === 'fulfilled' ? repositories.value : [],
    teams: teams.status === 'fulfilled' ? teams.value : [],
  });
  if (problems.length > 0) {
    const detail = problems.map((error) =>
      error instanceof Error ? error.message : String(error),
    );
    bar.showProblem(`Could not load every filter's choices: ${detail.join('; ')}`);
  }
}
