import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  currentTraceId,
  runWithTraceContext,
  traceContextMiddleware,
  traceIdFromTraceparent,
  traceIdOf,
} from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('traceIdFromTraceparent', () => {
  it('reads the trace id of a valid W3C traceparent', () => {
    expect(traceIdFromTraceparent(TRACEPARENT)).toBe(TRACE_ID);
    expect(traceIdFromTraceparent(`01-${TRACE_ID}-00f067aa0ba902b7-01-future`)).toBe(TRACE_ID);
  });

  it.each([
    undefined,
    'garbage',
    `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`,
    `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
    `00-${TRACE_ID}-00f067aa0ba902b7-01-extra`,
  ])('rejects %p', (header) => {
    expect(traceIdFromTraceparent(header)).toBeUndefined();
  });
});

describe('runWithTraceContext', () => {
  it('continues the trace of a traceparent, across awaits', async () => {
    expect(currentTraceId()).toBeUndefined();
    await runWithTraceContext(TRACEPARENT, async () => {
      await sleep(1);
      expect(currentTraceId()).toBe(TRACE_ID);
    });
    expect(currentTraceId()).toBeUndefined();
  });

  it('starts a fresh trace without a valid traceparent, one per run', () => {
    const first = runWithTraceContext(undefined, currentTraceId);
    const second = runWithTraceContext('garbage', currentTraceId);
    expect(first).toMatch(/^[\da-f]{32}$/);
    expect(second).toMatch(/^[\da-f]{32}$/);
    expect(first).not.toBe(second);
  });

  it('keeps concurrent runs apart', async () => {
    const seen = await Promise.all(
      ['1', '2', '3'].map((digit) =>
        runWithTraceContext(`00-${digit.repeat(32)}-00f067aa0ba902b7-01`, async () => {
          await sleep(Number(digit));
          return currentTraceId();
        }),
      ),
    );
    expect(seen).toEqual(['1'.repeat(32), '2'.repeat(32), '3'.repeat(32)]);
  });
});

describe('traceIdOf', () => {
  it('takes the trace id from a valid W3C traceparent', () => {
    expect(traceIdOf(request({ traceparent: TRACEPARENT }))).toBe(TRACE_ID);
  });

  it('mints a fresh trace id when the header is absent or malformed, the same for every call', () => {
    const req = request({});
    const first = traceIdOf(req);
    expect(first).toMatch(/^[\da-f]{32}$/);
    expect(traceIdOf(req)).toBe(first);
    expect(traceIdOf(request({ traceparent: 'garbage' }))).not.toBe(first);
  });

  it('runs the rest of the request in its trace', () => {
    const req = request({});
    let seen: string | undefined;
    traceContextMiddleware(req, {} as ServerResponse, () => {
      seen = currentTraceId();
    });
    expect(seen).toBe(traceIdOf(req));
  });
});
