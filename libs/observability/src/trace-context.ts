import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSpanContextValid, trace } from '@opentelemetry/api';

interface TraceContext {
  readonly traceId: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

// version-traceid-parentid-flags; versions after 00 may append fields.
const TRACEPARENT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The trace id of a valid W3C traceparent header, or undefined. */
export function traceIdFromTraceparent(traceparent: string | undefined): string | undefined {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId, parentId, extra] = match;
  if (version === 'ff' || (version === '00' && extra !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return traceId;
}

/**
 * Runs `fn` with the trace of an incoming HTTP request or Kafka message (its traceparent), or a
 * fresh trace when there is none, so every line logged on the way carries the same trace id.
 */
export function runWithTraceContext<T>(traceparent: string | undefined, fn: () => T): T {
  return storage.run({ traceId: traceIdFromTraceparent(traceparent) ?? newTraceId() }, fn);
}

/**
 * The trace id of the work in progress: the active OpenTelemetry span's once an SDK is
 * installed, otherwise the one set by runWithTraceContext; undefined outside any trace.
 */
export function currentTraceId(): string | undefined {
  return activeSpanTraceId() ?? storage.getStore()?.traceId;
}

const requestTraceIds = new WeakMap<IncomingMessage, string>();

/**
 * The trace id of an HTTP request, the same on every call: pino-http asks for it as the request
 * id, and traceContextMiddleware runs the request in it, in whichever order Nest registers them.
 */
export function traceIdOf(req: IncomingMessage): string {
  let traceId = requestTraceIds.get(req);
  if (traceId === undefined) {
    // A repeated header arrives as an array; W3C says to ignore it then.
    const header = req.headers['traceparent'];
    traceId =
      activeSpanTraceId() ??
      traceIdFromTraceparent(typeof header === 'string' ? header : undefined) ??
      newTraceId();
    requestTraceIds.set(req, traceId);
  }
  return traceId;
}

/** Runs the rest of the request (guards, handlers, the services they call) in its trace. */
export function traceContextMiddleware(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
  storage.run({ traceId: traceIdOf(req) }, next);
}

function activeSpanTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
