export interface HttpAnswer<Body = unknown> {
  readonly status: number;
  readonly body: Body;
}

/** Calls a booted service as a client would: JSON in and out, an optional bearer token. */
export async function callService<Body = unknown>(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<Body>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: the text itself.
  }
  return { status: response.status, body: body as Body };
}

/**
 * The sum of a metric's samples scraped from a service's metrics URL (BootedService.metricsUrl)
 * whose labels include `labels` (0 when none matches), read from the Prometheus text format.
 */
export async function scrapeMetric(
  metricsUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) sum += Number(match[3]);
  }
  return sum;
}
