// Requests to the API on the page's own origin, authenticated with the tab's API token, or, for a
// person signed in with the identity provider, by the session cookie the browser sends: REST GETs,
// and GraphQL queries POSTed to /graphql (docs/graphql.md).

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

/**
 * A GraphQL error: the request's own (a document the server refused), or a field's, such as
 * NOT_FOUND for a project the caller may not see. `code` is its `extensions.code`.
 */
export class GraphqlError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly code: string | null,
  ) {
    super(status, message);
    this.name = 'GraphqlError';
  }
}

interface GraphqlErrorBody {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown };
}

/** A GraphQL answer: `data` may be partial, with the errors of the fields that are null. */
export class GraphqlResult<T> {
  constructor(
    private readonly status: number,
    private readonly data: T | null,
    private readonly errors: GraphqlErrorBody[],
  ) {}

  /** The root field's value, or its error thrown (the first one under it, or the request's). */
  field<K extends keyof T>(name: K): NonNullable<T[K]> {
    const value = this.data?.[name];
    if (value !== null && value !== undefined) return value;
    const own = this.errors.find((error) => Array.isArray(error.path) && error.path[0] === name);
    throw graphqlError(this.status, own ?? this.errors[0], `${String(name)}: no answer`);
  }
}

function graphqlError(
  status: number,
  error: GraphqlErrorBody | undefined,
  fallback: string,
): GraphqlError {
  const message = typeof error?.message === 'string' ? error.message : fallback;
  const code = typeof error?.extensions?.code === 'string' ? error.extensions.code : null;
  return new GraphqlError(status, message, code);
}

/** A GraphQL document the dashboard sends as it is (static, so a server may list it). */
export interface GraphqlDocument {
  operationName: string;
  query: string;
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

  /**
   * POSTs a query to /graphql. Refusals before GraphQL runs (a 401, a proxy's error page) throw
   * ApiError as a REST call's do; a request GraphQL refuses throws GraphqlError; fields' errors
   * come with the answer (GraphqlResult.field throws them).
   */
  async graphql<T>(
    document: GraphqlDocument,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<GraphqlResult<T>> {
    const headers: Record<string, string> = {
      Accept: 'application/graphql-response+json, application/json',
      'Content-Type': 'application/json',
    };
    if (this.token !== null) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(new URL('/graphql', window.location.origin), {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...document, variables }),
      signal,
      credentials: 'same-origin',
    });
    const body = (await response.json().catch(() => null)) as {
      data?: T | null;
      errors?: GraphqlErrorBody[];
      error?: unknown;
    } | null;
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    if (!response.ok || body === null) {
      if (errors.length > 0) {
        throw graphqlError(response.status, errors[0], `${response.status}`);
      }
      const message =
        typeof body?.error === 'string'
          ? body.error
          : `${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, message);
    }
    return new GraphqlResult<T>(response.status, body.data ?? null, errors);
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
