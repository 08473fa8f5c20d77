import { backoffDelay, sleep } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialMs: 200, maxMs: 5000 };

  it('doubles per attempt between half and all of the step, up to the cap', () => {
    for (const [attempt, step] of [
      [1, 200],
      [2, 400],
      [3, 800],
      [5, 3200],
      [6, 5000],
      [20, 5000],
    ] as const) {
      expect(backoffDelay(policy, attempt, () => 0)).toBe(step / 2);
      expect(backoffDelay(policy, attempt, () => 1)).toBe(step);
    }
  });

  it('spreads instances that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(policy, 4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('sleep', () => {
  it('ends early when its signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
