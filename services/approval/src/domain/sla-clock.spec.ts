import { loadReferenceData } from '@tongban/reference-data';
import { CompressedClock } from './compressed-clock';
import { pauseClock, remainingSeconds, resumeClock, startClock, timerSchedule, usedShare } from './sla-clock';

// 宝安区人力资源局: the Shenzhen calendar, business hours 09:00-18:00 (+08:00).
const calendar = loadReferenceData().calendarForDepartment('440306-rsj');
const cst = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3600;
const policy = { warningShare: 0.8, escalationSeconds: 8 * HOUR };

describe('the SLA clock on the working-day calendar', () => {
  it('does not run over a weekend while paused, and moves the due time by the working time left', () => {
    // Accepted Thu 2026-11-19 10:00, 3 working days: Fri 20, Mon 23, Tue 24 -> due Tue 18:00.
    const started = cst('2026-11-19T10:00:00');
    const due = calendar.addWorkingDays(started, 3);
    expect(due.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    let clock = startClock(started, due, calendar);
    expect(clock.budgetSeconds).toBe((8 + 9 + 9 + 9) * HOUR);

    // Supplement requested Fri 15:00: 3 h of Friday, Monday and Tuesday are left.
    clock = pauseClock(clock, cst('2026-11-20T15:00:00'), calendar);
    expect(clock.remainingSeconds).toBe(21 * HOUR);
    const shareAtPause = usedShare(clock, cst('2026-11-20T15:00:00'), calendar);
    expect(shareAtPause).toBeCloseTo(14 / 35);
    // The weekend passes; nothing is used while paused.
    expect(usedShare(clock, cst('2026-11-22T20:00:00'), calendar)).toBe(shareAtPause);
    expect(timerSchedule(clock, cst('2026-11-22T20:00:00'), calendar, policy)).toBeNull();

    // Supplemented Mon 11:00: 21 working hours from then = Mon 7 h + Tue 9 h + Wed 5 h.
    clock = resumeClock(clock, cst('2026-11-23T11:00:00'), calendar);
    expect(clock.dueAt.toISOString()).toBe('2026-11-25T06:00:00.000Z'); // Wed 14:00 +08:00
    expect(clock.pausedAt).toBeNull();
    expect(usedShare(clock, cst('2026-11-23T11:00:00'), calendar)).toBeCloseTo(14 / 35);
    expect(usedShare(clock, clock.dueAt, calendar)).toBe(1);
    expect(remainingSeconds(clock, cst('2026-11-25T15:00:00'), calendar)).toBe(-HOUR);
  });

  it('counts the 2026 Spring Festival as no working time and its make-up Saturdays as working days', () => {
    // Accepted Fri 2026-02-13 15:00, 3 days: Sat 14 (调休), Tue 24, Wed 25 -> due Wed 25 18:00.
    const started = cst('2026-02-13T15:00:00');
    const due = calendar.addWorkingDays(started, 3);
    expect(due.toISOString()).toBe('2026-02-25T10:00:00.000Z');
    let clock = startClock(started, due, calendar);
    expect(clock.budgetSeconds).toBe((3 + 9 + 9 + 9) * HOUR);

    // Warning at 80 %: 24 of 30 working hours used, i.e. with 6 h left, Wed 25 12:00.
    const schedule = timerSchedule(clock, started, calendar, policy)!;
    expect(schedule.warning.toISOString()).toBe('2026-02-25T04:00:00.000Z');
    expect(schedule.overdue.toISOString()).toBe('2026-02-25T10:00:00.000Z');
    // Escalation 8 working hours after the deadline: Thu 26 17:00.
    expect(schedule.escalated.toISOString()).toBe('2026-02-26T09:00:00.000Z');

    // Paused on the make-up Saturday at 12:00 (6 h used), resumed on Sun 22 (still the holiday):
    // the 24 h left run Tue 24, Wed 25 and 6 h of Thu 26.
    clock = pauseClock(clock, cst('2026-02-14T12:00:00'), calendar);
    expect(clock.remainingSeconds).toBe(24 * HOUR);
    expect(usedShare(clock, cst('2026-02-20T12:00:00'), calendar)).toBeCloseTo(0.2);
    clock = resumeClock(clock, cst('2026-02-22T10:00:00'), calendar);
    expect(clock.dueAt.toISOString()).toBe('2026-02-26T07:00:00.000Z'); // Thu 15:00 +08:00
    const resumed = timerSchedule(clock, cst('2026-02-22T10:00:00'), calendar, policy)!;
    // 6 working hours before the new deadline: the close of Wed 25, the same working instant as
    // Thu 09:00 (the earliest instant with 18 working hours done).
    expect(resumed.warning.toISOString()).toBe('2026-02-25T10:00:00.000Z');
  });

  it('resumes across the second make-up Saturday after the holiday', () => {
    const started = cst('2026-02-13T15:00:00');
    let clock = startClock(started, calendar.addWorkingDays(started, 3), calendar);
    // Paused at Tue 24 closing time: Fri 3 h + Sat 9 h + Tue 9 h used, 9 h left.
    clock = pauseClock(clock, cst('2026-02-24T18:00:00'), calendar);
    expect(clock.remainingSeconds).toBe(9 * HOUR);
    // Resumed Fri 27 17:00: 1 h on Friday, then the make-up Saturday 28 from 09:00 -> 17:00.
    clock = resumeClock(clock, cst('2026-02-27T17:00:00'), calendar);
    expect(clock.dueAt.toISOString()).toBe('2026-02-28T09:00:00.000Z');
  });

  it('fires the warning at once when the share is already past it', () => {
    const started = cst('2026-11-19T10:00:00');
    const clock = startClock(started, calendar.addWorkingDays(started, 1), calendar);
    const now = cst('2026-11-20T17:00:00');
    expect(usedShare(clock, now, calendar)).toBeGreaterThan(0.8);
    expect(timerSchedule(clock, now, calendar, policy)!.warning).toEqual(now);
  });

  it('keeps an overdue due time when a clock paused after its deadline resumes', () => {
    const started = cst('2026-11-19T10:00:00');
    const due = calendar.addWorkingDays(started, 1);
    let clock = pauseClock(startClock(started, due, calendar), cst('2026-11-23T10:00:00'), calendar);
    expect(clock.remainingSeconds).toBeLessThan(0);
    clock = resumeClock(clock, cst('2026-11-24T10:00:00'), calendar);
    expect(clock.dueAt).toEqual(due);
    expect(usedShare(clock, cst('2026-11-24T10:00:00'), calendar)).toBeGreaterThan(1);
  });
});

describe('the compressed test clock', () => {
  it('runs the same schedule continuously, one working day per configured seconds', () => {
    const clock = new CompressedClock(2);
    const started = new Date('2026-11-21T00:00:00Z'); // a Saturday night: it runs anyway
    const due = clock.addWorkingDays(started, 5);
    expect(due.getTime() - started.getTime()).toBe(10_000);
    const state = startClock(started, due, clock);
    expect(state.budgetSeconds).toBe(5 * 8 * HOUR);
    const schedule = timerSchedule(state, started, clock, policy)!;
    expect(schedule.warning.getTime() - started.getTime()).toBe(8_000);
    expect(schedule.escalated.getTime() - due.getTime()).toBe(2_000);
    const paused = pauseClock(state, new Date(started.getTime() + 4_000), clock);
    const resumed = resumeClock(paused, new Date(started.getTime() + 60_000), clock);
    expect(resumed.dueAt.getTime() - started.getTime()).toBe(66_000);
  });
});
