// Sign-in: with the server's identity provider when it has one (a link that starts the
// provider's sign-in and comes back signed in), and with an API token, for service accounts and
// scripts. The token is checked with one small read before it is kept, so a wrong one is
// refused here rather than on the dashboard.

import { ApiClient, ApiError } from '../api/client';
import { h } from '../dom';
import { fetchProvider, signInUrl } from '../session';

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
  // Filled in when the server says people sign in with a provider.
  const providerSlot = h('div', { class: 'provider-slot' });
  const form = h(
    'form',
    { class: 'sign-in', 'data-testid': 'sign-in' },
    h('h1', {}, 'Leadline'),
    h('p', {}, 'DORA metrics of your delivery history.'),
    providerSlot,
    h('p', {}, 'Sign in with an API token with the read scope.'),
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
  void fetchProvider().then((provider) => {
    if (!provider) return;
    providerSlot.append(
      h(
        'a',
        { class: 'provider-sign-in', href: signInUrl(provider), 'data-testid': 'sign-in-provider' },
        `Sign in with ${provider.name}`,
      ),
      h('p', { class: 'sign-in-or' }, 'or'),
    );
  });
  queueMicrotask(() => input.focus());
  return h('main', { class: 'sign-in-page' }, form);
}
