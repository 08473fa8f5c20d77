import '@testing-library/jest-dom';
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { setImmediate } from 'node:timers';

// antd reads these browser APIs, which jsdom does not implement.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});

// jsdom lacks these Web APIs that browsers (and the libraries) have; Node's are the same API.
// React's scheduler takes setImmediate when there is one (else a MessageChannel, left open).
// antd's form and select schedule a macrotask with MessageChannel; Node's ports keep the test
// process alive once listened to, so a timer stands in for the message.
class TimerPort {
  other: TimerPort | undefined;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  postMessage(data: unknown): void {
    const target = this.other;
    setTimeout(() => target?.onmessage?.({ data }), 0);
  }
  close = (): undefined => undefined;
  start = (): undefined => undefined;
}
class MessageChannel {
  readonly port1 = new TimerPort();
  readonly port2 = new TimerPort();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}
Object.assign(globalThis, { TextEncoder, TextDecoder, setImmediate, MessageChannel });
if (!globalThis.crypto?.randomUUID) Object.defineProperty(globalThis, 'crypto', { value: webcrypto });

// Layout is not computed in jsdom: nothing ever resizes.
class NoResizeObserver {
  observe = (): undefined => undefined;
  unobserve = (): undefined => undefined;
  disconnect = (): undefined => undefined;
}
Object.assign(globalThis, { ResizeObserver: NoResizeObserver });
