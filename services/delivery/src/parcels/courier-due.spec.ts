import { dueToday } from './courier-due';

describe('dueToday', () => {
  it('ends the day at midnight in China, whatever the machine’s time zone', () => {
    // 2026-12-04 23:30 in China is 15:30 UTC; the day ends at 2026-12-05 00:00 +08:00.
    expect(dueToday(new Date('2026-12-04T15:30:00Z')).attemptBefore.toISOString()).toBe(
      '2026-12-04T16:00:00.000Z',
    );
    // 2026-12-05 00:30 in China (16:30 UTC the day before) belongs to the 5th.
    expect(dueToday(new Date('2026-12-04T16:30:00Z')).attemptBefore.toISOString()).toBe(
      '2026-12-05T16:00:00.000Z',
    );
  });

  it('counts parcels waiting for the courier now and those whose agreed attempt falls today', () => {
    const window = dueToday(new Date('2026-12-04T02:00:00Z'));
    expect(window.dueNowStates).toEqual(['ready_for_dispatch', 'picked_up', 'out_for_delivery']);
    expect(window.attemptStates).toEqual(['delivery_failed', 'rescheduled']);
  });
});
