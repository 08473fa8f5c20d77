import { trace } from '@opentelemetry/api';
import { runWithTraceContext } from '@tongban/observability';
import { stringHeaders, traceContextOf, traceHeadersForNewMessage } from './trace-headers';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('trace headers', () => {
  it('carry the current trace id with a new span id', () => {
    const headers = runWithTraceContext(TRACEPARENT, () => traceHeadersForNewMessage());
    expect(headers['traceparent']).toMatch(
      new RegExp(`^00-${TRACE_ID}-(?!00f067aa0ba902b7)[\\da-f]{16}-01$`),
    );
  });

  it('are empty outside any trace', () => {
    expect(traceHeadersForNewMessage()).toEqual({});
  });

  it('give the consumer the producer’s span context', () => {
    const context = traceContextOf({ traceparent: TRACEPARENT, tracestate: 'tongban=1' });
    const span = trace.getSpanContext(context);
    expect(span?.traceId).toBe(TRACE_ID);
    expect(span?.isRemote).toBe(true);
    expect(span?.traceState?.get('tongban')).toBe('1');
  });

  it('ignore a malformed traceparent', () => {
    expect(trace.getSpanContext(traceContextOf({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('read Kafka header values given as buffers', () => {
    expect(stringHeaders({ a: Buffer.from('x'), b: 'y', c: undefined, d: [Buffer.from('z')] })).toEqual({
      a: 'x',
      b: 'y',
    });
  });
});
