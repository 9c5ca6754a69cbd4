// GET requests to the API on the page's own origin, authenticated with the tab's API token, or,
// for a person signed in with the identity provider, by the session cookie the browser sends.

export type Params = Record<string, string | undefined>;

/** An answer other than 2xx; `message` is the API's own `error` text when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export class ApiClient {
  /** `token` null: the session cookie authenticates. */
  constructor(private readonly token: string | null) {}

  async get<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, window.location.origin);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(url, { headers, signal, credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, await errorText(response));
    return (await response.json()) as T;
  }
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON (a proxy's page, say): the status line is all there is.
  }
  return `${response.status} ${response.statusText}`.trim();
}
