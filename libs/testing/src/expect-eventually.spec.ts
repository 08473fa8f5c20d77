import { expectEventually } from './expect-eventually';

describe('expectEventually', () => {
  it('returns as soon as the assertion passes', async () => {
    let calls = 0;
    const value = await expectEventually(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
  });

  it('rethrows the last failure once the time is up', async () => {
    let calls = 0;
    await expect(
      expectEventually(
        () => {
          calls += 1;
          throw new Error(`attempt ${calls}`);
        },
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow(/still failing after 30 ms: attempt \d+/);
    expect(calls).toBeGreaterThan(1);
  });
});
