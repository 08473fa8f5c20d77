import fc from 'fast-check';
import {
  WorkingDayCalendar,
  bundledReferenceFiles,
  localDateOf,
  loadReferenceData,
  parseReferenceData,
} from './index';
import { type CalendarsFile } from './schemas';

/** An instant given in China Standard Time. */
const cst = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3600;

describe('WorkingDayCalendar (Shenzhen, 09:00-18:00)', () => {
  const data = loadReferenceData();
  const baoan = data.calendar('440306');

  it('does not depend on the machine time zone', () => {
    expect(process.env['TZ']).toBe('UTC');
    // 2026-12-31T16:30Z is already New Year's Day in China.
    expect(localDateOf(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(baoan.isWorkingDay(new Date('2026-12-31T16:30:00Z'))).toBe(false);
    expect(baoan.isWorkingDay(new Date('2026-12-31T15:59:59Z'))).toBe(true);
  });

  it('knows the 2026 春节 holiday and its make-up Saturdays', () => {
    expect(baoan.dayInfo('2026-02-14')).toMatchObject({ kind: 'make_up_workday', name: '春节', weekday: 6 });
    for (let d = 15; d <= 23; d++) expect(baoan.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(baoan.dayInfo('2026-02-17')).toMatchObject({ kind: 'holiday', name: '春节', provisional: false });
    expect(baoan.isWorkingDay('2026-02-24')).toBe(true);
    expect(baoan.isWorkingDay('2026-02-28')).toBe(true);
    expect(baoan.isWorkingDay('2026-03-01')).toBe(false);
    expect(baoan.nextWorkingDay('2026-02-13')).toBe('2026-02-14');
    expect(baoan.nextWorkingDay('2026-02-14')).toBe('2026-02-24');
  });

  it('knows the 2026 国庆 holiday with a make-up Sunday before and a make-up Saturday after', () => {
    expect(baoan.dayInfo('2026-09-20')).toMatchObject({ kind: 'make_up_workday', weekday: 0 });
    for (let d = 1; d <= 7; d++) expect(baoan.isHoliday(`2026-10-0${d}`)).toBe(true);
    expect(baoan.isWorkingDay('2026-10-08')).toBe(true);
    expect(baoan.isWorkingDay('2026-10-10')).toBe(true);
    expect(baoan.isWorkingDay('2026-10-11')).toBe(false);
  });

  describe('addWorkingDays: counting starts the working day after acceptance, due at closing time', () => {
    it('spans 春节 and its make-up Saturday', () => {
      // Fri 13 Feb 15:00: day 1 = Sat 14 (make-up), day 2 = Tue 24, day 3 = Wed 25.
      expect(baoan.addWorkingDays(cst('2026-02-13T15:00:00'), 3)).toEqual(cst('2026-02-25T18:00:00'));
      // Accepted on the make-up Saturday itself: it does not count, the holiday does not either.
      expect(baoan.addWorkingDays(cst('2026-02-14T10:00:00'), 1)).toEqual(cst('2026-02-24T18:00:00'));
      // 20 working days from 12 Feb: 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat), then 13 days of March.
      expect(baoan.addWorkingDays(cst('2026-02-12T10:00:00'), 20)).toEqual(cst('2026-03-18T18:00:00'));
    });

    it('spans 国庆 and its make-up days', () => {
      expect(baoan.addWorkingDays(cst('2026-09-18T11:00:00'), 1)).toEqual(cst('2026-09-20T18:00:00'));
      // Wed 30 Sep: 8, 9, 10 (Sat), 12, 13 October.
      expect(baoan.addWorkingDays(cst('2026-09-30T10:00:00'), 5)).toEqual(cst('2026-10-13T18:00:00'));
    });

    it('treats a Friday-evening, a Saturday-service and a holiday acceptance alike', () => {
      const monday = cst('2026-03-09T18:00:00');
      expect(baoan.addWorkingDays(cst('2026-03-06T20:30:00'), 1)).toEqual(monday);
      expect(baoan.addWorkingDays(cst('2026-03-07T10:00:00'), 1)).toEqual(monday);
      expect(baoan.addWorkingDays(cst('2026-03-08T23:59:59'), 1)).toEqual(monday);
      expect(baoan.addWorkingDays(cst('2026-10-03T10:00:00'), 1)).toEqual(cst('2026-10-08T18:00:00'));
    });

    it('0 days (即办) is due the same working day, or the next one', () => {
      expect(baoan.addWorkingDays(cst('2026-03-06T10:00:00'), 0)).toEqual(cst('2026-03-06T18:00:00'));
      expect(baoan.addWorkingDays(cst('2026-03-07T10:00:00'), 0)).toEqual(cst('2026-03-09T18:00:00'));
    });

    it('crosses the year boundary into the provisional 2027 calendar', () => {
      // Thu 31 Dec 2026: 1-3 Jan 2027 元旦, then Mon 4 and Tue 5.
      expect(baoan.addWorkingDays(cst('2026-12-31T16:00:00'), 2)).toEqual(cst('2027-01-05T18:00:00'));
      expect(baoan.dayInfo('2027-01-01')).toMatchObject({ kind: 'holiday', name: '元旦', provisional: true });
      // The provisional 2027 春节 (5-13 Feb): Thu 4 Feb, then Mon 15 Feb.
      expect(baoan.addWorkingDays(cst('2027-02-03T09:00:00'), 2)).toEqual(cst('2027-02-15T18:00:00'));
      expect(baoan.isWorkingDay('2027-02-20')).toBe(true);
    });

    it('answers a year the data does not ship with Monday-Friday working days, reported to the listener', () => {
      const fallbacks: string[] = [];
      const stop = data.onCalendarFallback((region, date) => fallbacks.push(`${region} ${date}`));
      try {
        // Tue 28 Dec 2027 + 5 working days: Wed-Fri, then Mon 3 and Tue 4 Jan 2028 (no 元旦 data).
        expect(baoan.addWorkingDays(cst('2027-12-28T10:00:00'), 5)).toEqual(cst('2028-01-04T18:00:00'));
        expect(baoan.dayInfo('2028-01-01')).toMatchObject({ kind: 'weekend', provisional: true });
        expect(baoan.isWorkingDay('2025-12-31')).toBe(true);
        expect(fallbacks).toEqual(expect.arrayContaining(['440306 2028-01-04', '440306 2025-12-31']));
      } finally {
        stop();
      }
      const before = fallbacks.length;
      baoan.isWorkingDay('2029-06-01');
      expect(fallbacks).toHaveLength(before);
    });

    it('refuses bad inputs', () => {
      expect(() => baoan.addWorkingDays(cst('2026-03-02T10:00:00'), -1)).toThrow(RangeError);
      expect(() => baoan.addWorkingDays(cst('2026-03-02T10:00:00'), 1.5)).toThrow(RangeError);
      expect(() => baoan.isWorkingDay('2026-02-30')).toThrow(/not a calendar date/);
    });

    it('always lands at closing time of the N-th working day after the acceptance date (property)', () => {
      const start = cst('2026-01-01T00:00:00').getTime();
      const end = cst('2027-10-31T00:00:00').getTime();
      fc.assert(
        fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 1, max: 40 }), (t, days) => {
          const from = new Date(t);
          const due = baoan.addWorkingDays(from, days);
          const sessions = baoan.businessSessions(due);
          expect(sessions.at(-1)?.close).toEqual(due);
          let counted = 0;
          for (let d = baoan.nextWorkingDay(from); d <= localDateOf(due); d = baoan.nextWorkingDay(d))
            counted++;
          expect(counted).toBe(days);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('working time (SLA share, pause and resume)', () => {
    it('counts business hours of working days only', () => {
      // Fri 17:00-18:00, make-up Sat 14 Feb 9h, Tue 24 Feb 09:00-10:00.
      expect(baoan.workingSecondsBetween(cst('2026-02-13T17:00:00'), cst('2026-02-24T10:00:00'))).toBe(
        11 * HOUR,
      );
      // An ordinary weekend counts nothing, Saturday service or not.
      expect(baoan.workingSecondsBetween(cst('2026-03-06T18:00:00'), cst('2026-03-09T09:00:00'))).toBe(0);
      expect(baoan.workingSecondsBetween(cst('2026-03-09T12:00:00'), cst('2026-03-09T11:00:00'))).toBe(0);
    });

    it('finds the 80% warning instant and the share used', () => {
      const accepted = cst('2026-03-09T10:00:00');
      const due = baoan.addWorkingDays(accepted, 3);
      expect(due).toEqual(cst('2026-03-12T18:00:00'));
      // Budget 8h + 3 x 9h = 35h; 80% = 28h: Mon 8h, Tue 9h, Wed 9h, Thu 2h.
      const warning = baoan.instantAtShare(accepted, due, 0.8);
      expect(warning).toEqual(cst('2026-03-12T11:00:00'));
      expect(baoan.shareUsed(accepted, due, warning)).toBeCloseTo(0.8, 10);
      expect(baoan.shareUsed(accepted, due, accepted)).toBe(0);
      expect(baoan.shareUsed(accepted, due, due)).toBe(1);
      expect(baoan.shareUsed(accepted, due, cst('2026-03-13T18:00:00'))).toBeCloseTo(44 / 35, 10);
      expect(baoan.instantAtShare(accepted, due, 1)).toEqual(due);
    });

    it('moves a deadline by the remaining working time after a pause', () => {
      // 9 working hours left when the clock resumes on Fri 6 Mar 17:00: 1h Friday, 8h Monday.
      expect(baoan.addWorkingSeconds(cst('2026-03-06T17:00:00'), 9 * HOUR)).toEqual(
        cst('2026-03-09T17:00:00'),
      );
      // Before the holiday: Fri 13 Feb 17:00 + 3h: 1h Fri, 2h on the make-up Saturday.
      expect(baoan.addWorkingSeconds(cst('2026-02-13T17:00:00'), 3 * HOUR)).toEqual(
        cst('2026-02-14T11:00:00'),
      );
      // Outside business hours the clock starts at the next opening.
      expect(baoan.addWorkingSeconds(cst('2026-02-14T20:00:00'), 1)).toEqual(cst('2026-02-24T09:00:01'));
      expect(baoan.addWorkingSeconds(cst('2026-02-14T20:00:00'), 0)).toEqual(cst('2026-02-14T20:00:00'));
    });
  });

  describe('isOpenForAcceptance', () => {
    it('on working days within business hours', () => {
      expect(baoan.isOpenForAcceptance(false, cst('2026-03-06T09:00:00'))).toBe(true);
      expect(baoan.isOpenForAcceptance(false, cst('2026-03-06T17:59:59'))).toBe(true);
      expect(baoan.isOpenForAcceptance(false, cst('2026-03-06T18:00:00'))).toBe(false);
      expect(baoan.isOpenForAcceptance(true, cst('2026-03-06T20:30:00'))).toBe(false);
    });

    it('on ordinary Saturdays only for offices with 延时服务', () => {
      expect(baoan.isOpenForAcceptance(true, cst('2026-03-07T10:00:00'))).toBe(true);
      expect(baoan.isOpenForAcceptance(true, cst('2026-03-07T17:30:00'))).toBe(false);
      expect(baoan.isOpenForAcceptance(false, cst('2026-03-07T10:00:00'))).toBe(false);
      expect(baoan.isOpenForAcceptance(true, cst('2026-03-08T10:00:00'))).toBe(false);
      // Longhua offers full-day Saturday service.
      expect(data.calendar('440309').isOpenForAcceptance(true, cst('2026-03-07T17:30:00'))).toBe(true);
    });

    it('not on holidays, but on make-up Saturdays with full business hours for every office', () => {
      expect(baoan.isOpenForAcceptance(true, cst('2026-02-21T10:00:00'))).toBe(false);
      expect(baoan.isOpenForAcceptance(true, cst('2026-10-03T10:00:00'))).toBe(false);
      expect(baoan.isOpenForAcceptance(false, cst('2026-02-14T17:30:00'))).toBe(true);
      expect(baoan.acceptanceSessions(true, '2026-02-14')).toEqual([
        { open: cst('2026-02-14T09:00:00'), close: cst('2026-02-14T18:00:00') },
      ]);
    });
  });
});

describe('WorkingDayCalendar (Huizhou, with a lunch break)', () => {
  const zhongkai = loadReferenceData().calendar('441305');

  it('uses the city business hours, and Saturday service morning and afternoon (仲恺, field report)', () => {
    expect(zhongkai.businessSessions('2026-03-09').map((s) => [s.open, s.close])).toEqual([
      [cst('2026-03-09T08:30:00'), cst('2026-03-09T12:00:00')],
      [cst('2026-03-09T14:00:00'), cst('2026-03-09T17:30:00')],
    ]);
    expect(zhongkai.isOpenForAcceptance(false, cst('2026-03-09T13:00:00'))).toBe(false);
    expect(zhongkai.isOpenForAcceptance(true, cst('2026-03-07T11:59:00'))).toBe(true);
    expect(zhongkai.isOpenForAcceptance(true, cst('2026-03-07T13:00:00'))).toBe(false);
    expect(zhongkai.isOpenForAcceptance(true, cst('2026-03-07T14:00:00'))).toBe(true);
    expect(zhongkai.isOpenForAcceptance(true, cst('2026-03-07T17:30:00'))).toBe(false);
  });

  it('skips the lunch break in working time and closes at 17:30', () => {
    expect(zhongkai.addWorkingDays(cst('2026-03-09T10:00:00'), 1)).toEqual(cst('2026-03-10T17:30:00'));
    expect(zhongkai.addWorkingSeconds(cst('2026-03-09T11:00:00'), 2 * HOUR)).toEqual(
      cst('2026-03-09T15:00:00'),
    );
    expect(zhongkai.workingSecondsBetween(cst('2026-03-09T00:00:00'), cst('2026-03-10T00:00:00'))).toBe(
      7 * HOUR,
    );
  });
});

describe('district overrides and a standalone calendar', () => {
  it('a local closure applies to its district only', () => {
    const files = bundledReferenceFiles();
    (files.calendars as CalendarsFile).overrides.push({
      region: '440306',
      note: '台风停工',
      extraHolidays: [{ date: '2026-09-16', name: '台风"示例"停工停课' }],
      extraWorkdays: [{ date: '2026-09-19', name: '台风停工补班' }],
    });
    const data = parseReferenceData(files);
    expect(data.calendar('440306').dayInfo('2026-09-16')).toMatchObject({
      kind: 'holiday',
      name: '台风"示例"停工停课',
    });
    expect(data.calendar('440306').isWorkingDay('2026-09-19')).toBe(true);
    expect(data.calendar('440303').isWorkingDay('2026-09-16')).toBe(true);
    expect(data.calendar('440303').isWorkingDay('2026-09-19')).toBe(false);
  });

  it('city-level departments run on the city calendar', () => {
    const data = loadReferenceData();
    expect(data.calendarForDepartment('4403-ybj').id).toBe('4403');
    expect(data.calendarForDepartment('4413-crj').businessSessions('2026-03-09')).toHaveLength(2);
    expect(() => data.calendar('110105')).toThrow(/unknown district or city/);
  });

  it('can be built from plain options', () => {
    const calendar = new WorkingDayCalendar({
      id: 'test',
      firstYear: 2030,
      lastYear: 2030,
      exceptions: [
        { date: '2030-01-01', kind: 'holiday', name: '元旦' },
        { date: '2030-01-05', kind: 'workday', name: '元旦' },
      ],
      businessHours: [{ open: '08:00', close: '16:00' }],
      saturdayServiceHours: [{ open: '09:00', close: '12:00' }],
    });
    expect(calendar.coverage).toEqual({ from: '2030-01-01', to: '2030-12-31' });
    expect(calendar.nextWorkingDay(new Date('2029-12-31T23:00:00Z'))).toBe('2030-01-02');
    expect(calendar.addWorkingDays(cst('2030-01-04T12:00:00'), 1)).toEqual(cst('2030-01-05T16:00:00'));
    // Without an outsideCoverage fallback, a date outside the data is refused.
    expect(() => calendar.addWorkingDays(cst('2030-12-28T10:00:00'), 5)).toThrow(
      /covers 2030-01-01\.\.2030-12-31/,
    );
    expect(() => calendar.isWorkingDay('2029-12-31')).toThrow(RangeError);
    expect(
      () =>
        new WorkingDayCalendar({
          id: 'bad',
          firstYear: 2030,
          lastYear: 2030,
          exceptions: [],
          businessHours: [{ open: '12:00', close: '09:00' }],
          saturdayServiceHours: [{ open: '09:00', close: '12:00' }],
        }),
    ).toThrow(/opens at or after it closes/);
  });
});
