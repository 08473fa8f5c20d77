import { loadReferenceData, promisedDueAt } from './index';

const calendar = loadReferenceData().calendarForDepartment('440306-rsj');

describe('promisedDueAt (承诺时限)', () => {
  // Accepted Thu 2026-12-03 10:00 in China; the legal deadline as routing set it.
  const startedAt = new Date('2026-12-03T02:00:01Z');
  const legalDue = calendar.addWorkingDays(startedAt, 15);
  const legal = { firstDueAt: legalDue, dueAt: legalDue };

  it('counts the promised working days from the acceptance day to closing time', () => {
    // 7 working days after Thu 3 Dec: 4, 7, 8, 9, 10, 11, 14 → Mon 14 Dec 18:00 in China.
    expect(promisedDueAt('440306001-20261203-0001', 7, legal, calendar)?.toISOString()).toBe(
      '2026-12-14T10:00:00.000Z',
    );
    // 即办 (0): closing time of the acceptance day.
    expect(promisedDueAt('440306001-20261203-0001', 0, legal, calendar)?.toISOString()).toBe(
      '2026-12-03T10:00:00.000Z',
    );
  });

  it('moves by the working time a supplement pause added to the legal deadline', () => {
    const twoDays = 2 * 9 * 3600; // two Shenzhen working days of 09:00-18:00
    const paused = { ...legal, dueAt: calendar.addWorkingSeconds(legalDue, twoDays) };
    expect(promisedDueAt('440306001-20261203-0001', 7, paused, calendar)?.toISOString()).toBe(
      '2026-12-16T10:00:00.000Z',
    );
  });

  it('is null for a receipt without a date', () => {
    expect(promisedDueAt('legacy-1', 7, legal, calendar)).toBeNull();
  });
});
