import { randomBytes } from 'node:crypto';
import {
  context,
  ROOT_CONTEXT,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { currentTraceId } from '@tongban/observability';

export type MessageHeaders = Record<string, string>;

const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<MessageHeaders> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<MessageHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/**
 * The W3C trace headers for an event produced now. An active OpenTelemetry span wins; without
 * one (no SDK installed) the trace id of the current request or event is carried on, so a case
 * keeps one trace id across services either way.
 */
export function traceHeadersForNewMessage(active: Context = context.active()): MessageHeaders {
  const headers: MessageHeaders = {};
  if (trace.getSpanContext(active)) {
    propagator.inject(active, headers, setter);
    return headers;
  }
  const traceId = currentTraceId();
  if (traceId) headers['traceparent'] = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  return headers;
}

/** The context a consumer continues: the producer's trace, when the headers carry a valid one. */
export function traceContextOf(headers: MessageHeaders): Context {
  return propagator.extract(ROOT_CONTEXT, headers, getter);
}

/**
 * The context to handle a consumed message in: the active one when it already continues the
 * message's trace (the kafkajs instrumentation's process span), else the message's own.
 */
export function consumerContextOf(headers: MessageHeaders, active: Context = context.active()): Context {
  const extracted = traceContextOf(headers);
  const activeTraceId = trace.getSpanContext(active)?.traceId;
  return activeTraceId !== undefined && activeTraceId === trace.getSpanContext(extracted)?.traceId
    ? active
    : extracted;
}

/** Writes the context's trace headers into a message's headers. */
export function injectTraceHeaders(active: Context, headers: MessageHeaders): MessageHeaders {
  propagator.inject(active, headers, setter);
  return headers;
}

/** Kafka header values arrive as Buffers or strings (or arrays); only single strings matter here. */
export function stringHeaders(raw: Record<string, unknown> | undefined): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'string') headers[key] = value;
    else if (Buffer.isBuffer(value)) headers[key] = value.toString('utf8');
  }
  return headers;
}
