import type { IncomingMessage } from 'node:http';
import { traceIdOf } from './logging.module';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('traceIdOf', () => {
  it('takes the trace id from a valid W3C traceparent', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceIdOf(request({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` }))).toBe(traceId);
  });

  it('mints a fresh 32-hex trace id when the header is absent or malformed', () => {
    const first = traceIdOf(request({}));
    const second = traceIdOf(request({ traceparent: 'garbage' }));
    expect(first).toMatch(/^[\da-f]{32}$/);
    expect(second).toMatch(/^[\da-f]{32}$/);
    expect(first).not.toBe(second);
  });
});
