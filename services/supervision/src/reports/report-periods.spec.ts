import { lastCompletedPeriods, periodStarting } from './report-periods';

describe('report periods', () => {
  it('spans a day, a Monday–Sunday week and a calendar month', () => {
    expect(periodStarting('daily', '2026-11-30')).toEqual({
      kind: 'daily',
      from: '2026-11-30',
      to: '2026-11-30',
    });
    expect(periodStarting('weekly', '2026-11-23')).toEqual({
      kind: 'weekly',
      from: '2026-11-23',
      to: '2026-11-29',
    });
    expect(periodStarting('monthly', '2026-02-01')).toEqual({
      kind: 'monthly',
      from: '2026-02-01',
      to: '2026-02-28',
    });
  });

  it('refuses a week that does not start on a Monday and a month that does not start on the 1st', () => {
    expect(periodStarting('weekly', '2026-11-24')).toBe('a weekly report starts on a Monday');
    expect(periodStarting('monthly', '2026-11-02')).toBe(
      'a monthly report starts on the first day of a month',
    );
  });

  it('finds the last completed day, week and month in China time', () => {
    // 2026-12-01 00:30 in China is still 2026-11-30 in UTC.
    expect(lastCompletedPeriods(new Date('2026-11-30T16:30:00Z'))).toEqual([
      { kind: 'daily', from: '2026-11-30', to: '2026-11-30' },
      { kind: 'weekly', from: '2026-11-23', to: '2026-11-29' },
      { kind: 'monthly', from: '2026-11-01', to: '2026-11-30' },
    ]);
    // A Monday: last week is the one that ended yesterday; January's previous month is December.
    expect(lastCompletedPeriods(new Date('2027-01-04T02:00:00Z'))).toEqual([
      { kind: 'daily', from: '2027-01-03', to: '2027-01-03' },
      { kind: 'weekly', from: '2026-12-28', to: '2027-01-03' },
      { kind: 'monthly', from: '2026-12-01', to: '2026-12-31' },
    ]);
  });
});
