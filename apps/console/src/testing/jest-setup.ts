import '@testing-library/jest-dom';
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { setImmediate } from 'node:timers';
import { MessageChannel as NodeMessageChannel } from 'node:worker_threads';

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
// antd's form and select schedule with MessageChannel; ports that keep no test process alive.
class MessageChannel extends NodeMessageChannel {
  constructor() {
    super();
    this.port1.unref();
    this.port2.unref();
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
