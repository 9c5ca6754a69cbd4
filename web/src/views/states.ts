// What a section shows instead of its content: nothing to show yet, nothing in the window, or
// an error worth reading.

import { h } from '../dom';

export const loading = (what: string) =>
  h('p', { class: 'state state-loading', role: 'status' }, `Loading ${what}…`);

export const empty = (message: string) => h('p', { class: 'state state-empty' }, message);

export function failed(what: string, error: unknown): HTMLElement {
  const detail = error instanceof Error ? error.message : String(error);
  return h('p', { class: 'state state-error', role: 'alert' }, `Could not load ${what}: ${detail}`);
}
