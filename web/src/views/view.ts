// What every screen of the signed-in dashboard has in common.

import { ApiError, isAbort, type ApiClient } from '../api/client';
import type { Filters } from '../filters/filters';
import { h, replaceChildren } from '../dom';
import { failed } from './states';

export interface ViewContext {
  api: ApiClient;
  /** Ends the session: back to sign-in, with a message saying why (if not the user's choice). */
  signOut(message: string | null): void;
}

export interface View {
  readonly element: HTMLElement;
  load(filters: Filters): void;
  dispose(): void;
}

export const SESSION_ENDED =
  'Your sign-in is no longer accepted (it was revoked or has expired). Sign in again.';

/** A titled part of a screen whose body shows one load's outcome. */
export class Section {
  readonly body = h('div', { class: 'section-body' });
  readonly element: HTMLElement;

  constructor(title: string, testId: string) {
    this.element = h(
      'section',
      { class: 'panel', 'data-testid': testId, 'aria-busy': 'true' },
      h('h2', {}, title),
      this.body,
    );
  }

  /**
   * Shows what `promise` brings, or why it failed. A 401 ends the session; an aborted load
   * (the filters changed meanwhile) shows nothing.
   */
  async show<T>(
    context: ViewContext,
    what: string,
    promise: Promise<T>,
    render: (value: T) => void,
  ): Promise<void> {
    this.element.setAttribute('aria-busy', 'true');
    try {
      const value = await promise;
      render(value);
      this.element.setAttribute('aria-busy', 'false');
    } catch (error) {
      if (isAbort(error)) return;
      this.element.setAttribute('aria-busy', 'false');
      if (error instanceof ApiError && error.unauthorized) context.signOut(SESSION_ENDED);
      else replaceChildren(this.body, failed(what, error));
    }
  }
}
