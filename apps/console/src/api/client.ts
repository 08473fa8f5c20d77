/** The four services, each behind `/api/<name>` on the console's own origin (no CORS). */
export type ServiceName = 'intake' | 'routing' | 'approval' | 'delivery';

export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

/** A refused request: the status, the server's message and its per-field issues, if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly FieldIssue[],
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let currentToken: () => string | undefined = () => undefined;

/** The session decides which bearer token goes out; the client never stores one itself. */
export function useTokenFrom(provider: () => string | undefined): void {
  currentToken = provider;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string | number | boolean | undefined>;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function issuesOf(body: unknown): FieldIssue[] {
  const issues = (body as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues)
    ? issues.filter(
        (issue): issue is FieldIssue =>
          typeof (issue as FieldIssue).field === 'string' && typeof (issue as FieldIssue).reason === 'string',
      )
    : [];
}

function messageOf(body: unknown, fallback: string): string {
  const message = (body as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return fallback;
}

export async function call<T>(
  service: ServiceName | 'console',
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const base = service === 'console' ? '/console-api' : `/api/${service}`;
  const query = Object.entries(options.query ?? {}).filter(
    (entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '',
  );
  const search = query.length
    ? `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString()}`
    : '';
  const token = currentToken();
  const response = await fetch(`${base}${path}${search}`, {
    method: options.method ?? 'GET',
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const body = text ? parse(text) : undefined;
  if (!response.ok)
    throw new ApiError(response.status, messageOf(body, response.statusText), issuesOf(body), body);
  return body as T;
}
