/**
 * Working-day arithmetic for the SLA clock (限时办结) and office opening hours, in China Standard
 * Time. Pure: every computation uses explicit +08:00 offsets on epoch milliseconds, never the
 * machine's time zone (China has had no daylight saving time since 1991, so the offset is fixed).
 *
 * Conventions (see README.md, "SLA clock"):
 * - A time limit of N working days counts from the working day AFTER the acceptance date (the
 *   acceptance day itself never counts, whatever the time of acceptance, as 《民法典》第二百零一条
 *   counts periods in days); the case is due at the closing time of the N-th working day.
 *   N = 0 (即办) is due at the closing time of the acceptance day, or of the next working day when
 *   the case was accepted on a non-working day.
 * - Working time is the business hours of working days only. Saturday service hours (延时服务)
 *   let offices accept cases but do not count, unless the Saturday is a make-up working day (调休),
 *   which then has normal business hours.
 * - The share of time used is measured in working seconds from the acceptance instant to the due
 *   instant, so the rest of the acceptance day counts toward the budget.
 */

/** A calendar date in China Standard Time, "YYYY-MM-DD". */
export type LocalDate = string;

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make_up_workday';

export interface DayInfo {
  readonly date: LocalDate;
  /** 0 = Sunday ... 6 = Saturday. */
  readonly weekday: number;
  readonly kind: DayKind;
  /** Holiday name (春节) or, for a make-up day, the holiday it makes up for. */
  readonly name?: string;
  readonly provisional: boolean;
}

export interface BusinessSession {
  /** "HH:MM", local time. */
  readonly open: string;
  readonly close: string;
}

/** A date that deviates from the Monday-Friday rule. */
export interface CalendarException {
  readonly date: LocalDate;
  readonly kind: 'holiday' | 'workday';
  readonly name: string;
}

export interface WorkingDayCalendarOptions {
  /** The region (district or city code) the calendar belongs to, for messages. */
  readonly id: string;
  /**
   * Inclusive range of years the holiday data covers; outside it every method throws, unless
   * `outsideCoverage` is given.
   */
  readonly firstYear: number;
  readonly lastYear: number;
  readonly provisionalYears?: readonly number[];
  /** Holidays and make-up working days; a later entry for the same date wins. */
  readonly exceptions: readonly CalendarException[];
  readonly businessHours: readonly BusinessSession[];
  readonly saturdayServiceHours: readonly BusinessSession[];
  /**
   * The fallback for a date whose year has no holiday data shipped: with this callback such a
   * date is an ordinary day (Monday-Friday working days with the normal hours, no holidays or
   * make-up days), reported as provisional and passed to the callback (for a metric), so a case
   * accepted in a year nobody has published the holidays of yet is still routed and timed.
   */
  readonly outsideCoverage?: (date: LocalDate) => void;
}

export const TIME_ZONE = 'Asia/Shanghai';
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 60 * MINUTE_MS;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a local date. */
export function dayNumber(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return ms / DAY_MS;
}

export function localDateOfDay(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The China Standard Time date of an instant. */
export function localDateOf(instant: Date): LocalDate {
  return localDateOfDay(dayOfInstant(instant));
}

function dayOfInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function minutesOfTime(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`not an HH:MM time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The instant of local time `minutes` after midnight of `day` in China Standard Time. */
function instantOf(day: number, minutes: number): number {
  return day * DAY_MS + minutes * MINUTE_MS - OFFSET_MS;
}

interface Interval {
  readonly start: number;
  readonly end: number;
}

export class WorkingDayCalendar {
  static readonly TIME_ZONE = TIME_ZONE;

  readonly id: string;
  readonly firstYear: number;
  readonly lastYear: number;
  private readonly firstDay: number;
  private readonly lastDay: number;
  private readonly provisionalYears: ReadonlySet<number>;
  private readonly exceptions = new Map<number, CalendarException>();
  private readonly business: readonly [number, number][];
  private readonly saturday: readonly [number, number][];
  private readonly outsideCoverage: ((date: LocalDate) => void) | undefined;

  constructor(options: WorkingDayCalendarOptions) {
    if (options.firstYear > options.lastYear) throw new RangeError(`${options.id}: firstYear > lastYear`);
    this.id = options.id;
    this.firstYear = options.firstYear;
    this.lastYear = options.lastYear;
    this.firstDay = Date.UTC(options.firstYear, 0, 1) / DAY_MS;
    this.lastDay = Date.UTC(options.lastYear, 11, 31) / DAY_MS;
    this.provisionalYears = new Set(options.provisionalYears ?? []);
    for (const exception of options.exceptions) this.exceptions.set(dayNumber(exception.date), exception);
    this.business = toMinuteSessions(options.id, options.businessHours);
    this.saturday = toMinuteSessions(options.id, options.saturdayServiceHours);
    this.outsideCoverage = options.outsideCoverage;
  }

  /** The first and last date the holiday data covers. */
  get coverage(): { readonly from: LocalDate; readonly to: LocalDate } {
    return { from: localDateOfDay(this.firstDay), to: localDateOfDay(this.lastDay) };
  }

  covers(date: Date | LocalDate): boolean {
    const day = this.toDay(date);
    return day >= this.firstDay && day <= this.lastDay;
  }

  dayInfo(date: Date | LocalDate): DayInfo {
    const day = this.checkedDay(this.toDay(date));
    const weekday = weekdayOfDay(day);
    const iso = localDateOfDay(day);
    const provisional =
      this.provisionalYears.has(Number(iso.slice(0, 4))) || day < this.firstDay || day > this.lastDay;
    const exception = this.exceptions.get(day);
    const weekend = weekday === 0 || weekday === 6;
    if (exception?.kind === 'holiday')
      return { date: iso, weekday, kind: 'holiday', name: exception.name, provisional };
    if (exception?.kind === 'workday') {
      return {
        date: iso,
        weekday,
        kind: weekend ? 'make_up_workday' : 'workday',
        name: exception.name,
        provisional,
      };
    }
    return { date: iso, weekday, kind: weekend ? 'weekend' : 'workday', provisional };
  }

  /** A working day: Monday-Friday unless a holiday, or a make-up weekend day (调休上班). */
  isWorkingDay(date: Date | LocalDate): boolean {
    const kind = this.dayInfo(date).kind;
    return kind === 'workday' || kind === 'make_up_workday';
  }

  /** A public holiday or local closure (not an ordinary weekend). */
  isHoliday(date: Date | LocalDate): boolean {
    return this.dayInfo(date).kind === 'holiday';
  }

  /** The first working day strictly after the date (of the instant, in China Standard Time). */
  nextWorkingDay(date: Date | LocalDate): LocalDate {
    return localDateOfDay(this.nextWorkingDayNumber(this.toDay(date)));
  }

  /** Business hours of a date as instants; empty on a non-working day. */
  businessSessions(date: Date | LocalDate): { open: Date; close: Date }[] {
    return this.intervals(this.checkedDay(this.toDay(date)), 'sla').map((i) => ({
      open: new Date(i.start),
      close: new Date(i.end),
    }));
  }

  /**
   * The due instant of a time limit of `days` working days for a case accepted at `from`:
   * closing time of the `days`-th working day after the acceptance date (see the module comment).
   */
  addWorkingDays(from: Date, days: number): Date {
    if (!Number.isInteger(days) || days < 0)
      throw new RangeError(`days must be a whole number >= 0: ${days}`);
    let day = dayOfInstant(from);
    if (days === 0) {
      if (!this.isWorkingDay(localDateOfDay(day))) day = this.nextWorkingDayNumber(day);
    } else {
      for (let n = 0; n < days; n++) day = this.nextWorkingDayNumber(day);
    }
    const closing = this.intervals(day, 'sla').at(-1);
    if (!closing)
      throw new Error(`calendar ${this.id}: working day ${localDateOfDay(day)} has no business hours`);
    return new Date(closing.end);
  }

  /** Working seconds (business hours of working days) in [from, to]; 0 when to <= from. */
  workingSecondsBetween(from: Date, to: Date): number {
    const start = from.getTime();
    const end = to.getTime();
    if (!(end > start)) return 0;
    let total = 0;
    const lastDay = this.checkedDay(dayOfInstant(to));
    for (let day = this.checkedDay(dayOfInstant(from)); day <= lastDay; day++) {
      for (const session of this.intervals(day, 'sla')) {
        total += Math.max(0, Math.min(end, session.end) - Math.max(start, session.start));
      }
    }
    return total / 1000;
  }

  /**
   * The earliest instant at which `seconds` working seconds have passed since `from` (used to
   * move a due instant after a paused clock resumes, or to schedule a warning).
   */
  addWorkingSeconds(from: Date, seconds: number): Date {
    if (!(seconds >= 0) || !Number.isFinite(seconds))
      throw new RangeError(`seconds must be >= 0: ${seconds}`);
    let remaining = Math.round(seconds * 1000);
    const start = from.getTime();
    if (remaining === 0) return new Date(start);
    for (let day = this.checkedDay(dayOfInstant(from)); ; day = this.checkedDay(day + 1)) {
      for (const session of this.intervals(day, 'sla')) {
        const begin = Math.max(start, session.start);
        if (session.end <= begin) continue;
        const available = session.end - begin;
        if (remaining <= available) return new Date(begin + remaining);
        remaining -= available;
      }
    }
  }

  /**
   * Share of the working time between `from` (acceptance) and `due` used at `at`: 0 at
   * acceptance, 1 at the due instant, above 1 when overdue. The SLA warning fires at e.g. 0.8.
   */
  shareUsed(from: Date, due: Date, at: Date): number {
    const budget = this.workingSecondsBetween(from, due);
    if (budget === 0) return at.getTime() >= due.getTime() ? 1 : 0;
    return this.workingSecondsBetween(from, at) / budget;
  }

  /** The instant at which `share` (0..1) of the working time between from and due is used. */
  instantAtShare(from: Date, due: Date, share: number): Date {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be within 0..1: ${share}`);
    if (share === 1) return new Date(due.getTime());
    return this.addWorkingSeconds(from, this.workingSecondsBetween(from, due) * share);
  }

  /**
   * Whether an office accepts cases at this instant: business hours on working days, and
   * Saturday service hours on ordinary (non-holiday) Saturdays for offices with 延时服务.
   */
  isOpenForAcceptance(officeSaturdayService: boolean, instant: Date): boolean {
    const t = instant.getTime();
    const day = this.checkedDay(dayOfInstant(instant));
    const kind = officeSaturdayService ? 'acceptance_saturday' : 'sla';
    return this.intervals(day, kind).some((session) => t >= session.start && t < session.end);
  }

  /** Opening hours for acceptance on a date, as instants. */
  acceptanceSessions(officeSaturdayService: boolean, date: Date | LocalDate): { open: Date; close: Date }[] {
    const day = this.checkedDay(this.toDay(date));
    return this.intervals(day, officeSaturdayService ? 'acceptance_saturday' : 'sla').map((i) => ({
      open: new Date(i.start),
      close: new Date(i.end),
    }));
  }

  private intervals(day: number, kind: 'sla' | 'acceptance_saturday'): Interval[] {
    const info = this.dayInfo(localDateOfDay(day));
    let sessions: readonly [number, number][] = [];
    if (info.kind === 'workday' || info.kind === 'make_up_workday') sessions = this.business;
    else if (kind === 'acceptance_saturday' && info.kind === 'weekend' && info.weekday === 6)
      sessions = this.saturday;
    return sessions.map(([open, close]) => ({ start: instantOf(day, open), end: instantOf(day, close) }));
  }

  private nextWorkingDayNumber(day: number): number {
    for (let next = this.checkedDay(day + 1); ; next = this.checkedDay(next + 1)) {
      if (this.isWorkingDay(localDateOfDay(next))) return next;
    }
  }

  private toDay(date: Date | LocalDate): number {
    return typeof date === 'string' ? dayNumber(date) : dayOfInstant(date);
  }

  private checkedDay(day: number): number {
    if (day < this.firstDay || day > this.lastDay) {
      if (this.outsideCoverage) {
        this.outsideCoverage(localDateOfDay(day));
        return day;
      }
      const { from, to } = this.coverage;
      throw new RangeError(
        `calendar ${this.id} covers ${from}..${to} only; ${localDateOfDay(day)} is outside (add the year to calendars.json)`,
      );
    }
    return day;
  }
}

function toMinuteSessions(id: string, sessions: readonly BusinessSession[]): [number, number][] {
  const result = sessions.map((s): [number, number] => [minutesOfTime(s.open), minutesOfTime(s.close)]);
  if (result.length === 0) throw new RangeError(`${id}: no business sessions`);
  let previousClose = -1;
  result.forEach(([open, close], i) => {
    if (open >= close) throw new RangeError(`${id}: session ${i} opens at or after it closes`);
    if (open < previousClose) throw new RangeError(`${id}: session ${i} overlaps the previous one`);
    previousClose = close;
  });
  return result;
}
