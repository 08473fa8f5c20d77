import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
}

export interface OtlpReceiver {
  /** The base URL to use as OTEL_EXPORTER_OTLP_ENDPOINT (the exporters add /v1/traces). */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Requests the receiver could not take (not JSON, wrong path), for the failure message. */
  readonly problems: string[];
  close(): Promise<void>;
}

interface AnyValue {
  readonly stringValue?: string;
}

interface ExportTraceServiceRequest {
  readonly resourceSpans?: readonly {
    readonly resource?: { readonly attributes?: readonly { key: string; value?: AnyValue }[] };
    readonly scopeSpans?: readonly {
      readonly spans?: readonly { traceId?: string; spanId?: string; parentSpanId?: string; name?: string }[];
    }[];
  }[];
}

/** OTLP/JSON ids are hex; a base64 one (another encoder) is converted, an absent one is ''. */
function hexId(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/**
 * A minimal OTLP/HTTP trace receiver (OTEL_EXPORTER_OTLP_PROTOCOL=http/json): takes
 * `POST /v1/traces`, keeps each span's service.name, trace, span and parent ids and name.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const problems: string[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const type = request.headers['content-type'] ?? '';
      if (request.method !== 'POST' || request.url !== '/v1/traces' || !type.includes('json')) {
        problems.push(`${request.method} ${request.url} (${type})`);
        response.writeHead(415).end();
        return;
      }
      const payload = JSON.parse((await bodyOf(request)).toString('utf8')) as ExportTraceServiceRequest;
      for (const resourceSpans of payload.resourceSpans ?? []) {
        const service =
          resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value
            ?.stringValue ?? '(none)';
        for (const scope of resourceSpans.scopeSpans ?? [])
          for (const span of scope.spans ?? [])
            spans.push({
              service,
              traceId: hexId(span.traceId),
              spanId: hexId(span.spanId),
              parentSpanId: hexId(span.parentSpanId),
              name: span.name ?? '',
            });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    })().catch((error: unknown) => {
      problems.push(`bad export: ${String(error)}`);
      if (!response.headersSent) response.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    problems,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
