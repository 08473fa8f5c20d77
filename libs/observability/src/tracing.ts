import type { IncomingMessage } from 'node:http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

// Scrapes and probes would otherwise make a trace each, every few seconds.
const UNTRACED_PATHS = /^\/(metrics|health)(\/|\?|$)/;

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing for a service when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and OTEL_SDK_DISABLED is
 * not true; otherwise does nothing, so local runs and tests export nothing. Everything else comes
 * from the standard OTEL_* variables (protocol, sampler, batch delays, resource attributes).
 *
 * Must run before the application's modules load: the instrumentations patch http, express, pg,
 * ioredis and kafkajs as they are first required. Returns whether tracing started.
 */
export function startTracing(service: string): boolean {
  // The SDK reads its settings from process.env itself; the defaults below go there too.
  const env = process.env;
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (sdk || !endpoint || env['OTEL_SDK_DISABLED'] === 'true') return false;
  // Metrics are scraped from /metrics and logs go to stdout: only traces leave over OTLP.
  env['OTEL_METRICS_EXPORTER'] ??= 'none';
  env['OTEL_LOGS_EXPORTER'] ??= 'none';
  env['OTEL_SERVICE_NAME'] ??= service;

  sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      new ExpressInstrumentation(),
      // Background loops (the outbox relay's polls, lock renewals) would each start a trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return true;
}

/**
 * Exports the spans still buffered; a service calls it last on its way out. A collector that
 * cannot be reached costs those spans, never a clean exit.
 */
export async function stopTracing(): Promise<void> {
  const stopping = sdk;
  sdk = undefined;
  await stopping?.shutdown().catch(() => undefined);
}
