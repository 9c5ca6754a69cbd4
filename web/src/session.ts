// The API token of this browser tab. Kept in sessionStorage: it survives a reload but not the
// tab, and it is never put in the URL or in localStorage.

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
