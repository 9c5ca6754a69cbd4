// Sign-in with an API token. The token is checked with one small read before it is kept, so a
// wrong one is refused here rather than on the dashboard.

import { ApiClient, ApiError } from '../api/client';
import { h } from '../dom';

const REFUSED: Record<number, string> = {
  401: 'That token was not accepted: it is unknown, revoked or expired.',
  403: 'That token may not read metrics: it needs the read scope.',
};

export function signInView(
  message: string | null,
  onSignedIn: (token: string) => void,
): HTMLElement {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'llt_…',
    required: true,
    'data-testid': 'token-input',
  });
  const status = h(
    'p',
    { class: 'sign-in-message refused', role: 'alert', 'data-testid': 'sign-in-message' },
    message ?? '',
  );
  const say = (text: string, refused: boolean) => {
    status.textContent = text;
    status.classList.toggle('refused', refused);
  };
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', 'data-testid': 'sign-in' },
    h('h1', {}, 'Leadline'),
    h(
      'p',
      {},
      'DORA metrics of your delivery history. Sign in with an API token with the read scope.',
    ),
    h('label', { for: 'token' }, 'API token'),
    input,
    submit,
    status,
    h(
      'p',
      { class: 'hint' },
      'Create one on the server: ',
      h('code', {}, 'leadline tokens create --name me --scopes read'),
    ),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    submit.disabled = true;
    say('Checking the token…', false);
    try {
      await new ApiClient(token).get('/v1/repositories', { limit: '1' });
      onSignedIn(token);
    } catch (error) {
      say(
        error instanceof ApiError
          ? (REFUSED[error.status] ?? `The server refused: ${error.message}`)
          : `The server did not answer: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
      submit.disabled = false;
      input.select();
    }
  });
  queueMicrotask(() => input.focus());
  return h('main', { class: 'sign-in-page' }, form);
}
