import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, type Registry } from 'prom-client';

interface ExpressFields {
  route?: { path?: unknown };
  baseUrl?: string;
}

/**
 * Records every HTTP request's duration by method, route template and status class: the rate,
 * errors (5xx) and latency of each endpoint. Labels stay bounded: the matched route's template
 * (`/cases/:id`), never the path, and `unmatched` for requests no route answered.
 */
export function httpMetricsMiddleware(registry: Registry) {
  const duration = new Histogram({
    name: 'tongban_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class, with their duration',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req: IncomingMessage & ExpressFields, res: ServerResponse, next: () => void): void => {
    const end = duration.startTimer();
    res.once('finish', () => {
      // Express sets these once a route matched; they are still there when the response is done.
      const route = req.route?.path;
      end({
        method: req.method ?? 'UNKNOWN',
        route: typeof route === 'string' ? `${req.baseUrl ?? ''}${route}` : 'unmatched',
        status_class: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  };
}
