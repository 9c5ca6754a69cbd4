// How this tab is signed in: with an API token, kept in sessionStorage (it survives a reload but
// not the tab, and it is never put in the URL or in localStorage), or as a person signed in with
// the identity provider, whose session lives in an HttpOnly cookie that no script can read.

const KEY = 'leadline.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The identity provider people sign in with, when the server has one. */
export interface Provider {
  name: string;
  sign_in: string;
}

let provider: Promise<Provider | null> | null = null;

/** Asked once per page load: the server's configuration does not change under it. */
export function fetchProvider(): Promise<Provider | null> {
  provider ??= askProvider();
  return provider;
}

async function askProvider(): Promise<Provider | null> {
  try {
    const response = await fetch('/auth/providers', { headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as { oidc?: Provider | null };
    return body.oidc ?? null;
  } catch {
    return null;
  }
}

/** The signed-in person of the session cookie, or null when there is none. */
export async function fetchPerson(): Promise<string | null> {
  try {
    const response = await fetch('/auth/session', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { name?: string; session?: boolean };
    return body.session && body.name ? body.name.replace(/^person /, '') : null;
  } catch {
    return null;
  }
}

/** Ends the cookie's session on the server (the cookie is cleared by its answer). */
export async function endSession(): Promise<void> {
  try {
    await fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin' });
  } catch {
    // Signed out here either way: the session expires on its own.
  }
}

/** Where the provider's sign-in starts, coming back to this page. */
export function signInUrl(provider: Provider): string {
  const back = `${location.pathname}${location.search}`;
  return `${provider.sign_in}?return_to=${encodeURIComponent(back)}`;
}
