import { afterFailure, quietUntil, rateLimitedUntil } from './send-policy';

const NIGHT = { startMinute: 21 * 60 + 30, endMinute: 8 * 60 };

describe('quiet hours (China time)', () => {
  it('holds a message sent at 23:00 China time until 08:00 the next morning', () => {
    expect(quietUntil(new Date('2026-12-04T15:00:00Z'), NIGHT)).toEqual(new Date('2026-12-05T00:00:00Z'));
  });

  it('holds a message sent at 06:59 China time until 08:00 the same morning', () => {
    expect(quietUntil(new Date('2026-12-04T22:59:00Z'), NIGHT)).toEqual(new Date('2026-12-05T00:00:00Z'));
  });

  it('lets a message go at 08:00 and at 21:29 China time, and always when off', () => {
    expect(quietUntil(new Date('2026-12-05T00:00:00Z'), NIGHT)).toBeNull();
    expect(quietUntil(new Date('2026-12-05T13:29:00Z'), NIGHT)).toBeNull();
    expect(quietUntil(new Date('2026-12-05T15:00:00Z'), null)).toBeNull();
  });

  it('handles a window within one day (12:00-14:00)', () => {
    const noon = { startMinute: 12 * 60, endMinute: 14 * 60 };
    expect(quietUntil(new Date('2026-12-05T05:00:00Z'), noon)).toEqual(new Date('2026-12-05T06:00:00Z'));
    expect(quietUntil(new Date('2026-12-05T06:00:00Z'), noon)).toBeNull();
  });
});

describe('rate limit per phone', () => {
  const now = new Date('2026-12-05T02:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  it('lets a message go while fewer than the limit went out in the last hour', () => {
    expect(rateLimitedUntil([ago(5), ago(10), ago(90)], 3, now)).toBeNull();
  });

  it('holds it until the oldest message of the full hour is an hour old', () => {
    expect(rateLimitedUntil([ago(5), ago(40), ago(10)], 3, now)).toEqual(
      new Date(ago(40).getTime() + 3_600_000),
    );
  });
});

describe('after a failed attempt', () => {
  const now = new Date('2026-12-05T02:00:00Z');
  const backoff = { initialMs: 1000, maxMs: 60_000 };

  it('backs off exponentially, capped', () => {
    const delays = [1, 2, 3, 10].map((attempts) => {
      const decision = afterFailure(attempts, 20, backoff, now, 0, () => 1);
      return decision.next === 'retry' ? decision.at.getTime() - now.getTime() : -1;
    });
    expect(delays).toEqual([1000, 2000, 4000, 60_000]);
  });

  it('waits at least as long as the provider asked', () => {
    expect(afterFailure(1, 5, backoff, now, 30_000, () => 1)).toEqual({
      next: 'retry',
      at: new Date(now.getTime() + 30_000),
    });
  });

  it('dead-letters after the last attempt', () => {
    expect(afterFailure(5, 5, backoff, now)).toEqual({ next: 'dead_letter' });
  });
});
