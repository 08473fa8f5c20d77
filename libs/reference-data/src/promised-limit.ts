import type { WorkingDayCalendar } from './calendar';

/** The working-time arithmetic the promised limit needs (a calendar, or approval's test clock). */
export type PromiseClock = Pick<
  WorkingDayCalendar,
  'addWorkingDays' | 'addWorkingSeconds' | 'workingSecondsBetween'
>;

/** The legal deadline as first set (routing) and as it stands now (moved by supplement pauses). */
export interface LegalDeadline {
  readonly firstDueAt: Date;
  readonly dueAt: Date;
}

/**
 * 承诺时限: the promised due instant, clocked alongside the legal one. It counts `promisedDays`
 * working days from the acceptance day (the receipt number's date, the day the legal limit counts
 * from too), on the deciding department's calendar, and moves with the legal clock: every
 * working second a supplement pause added to the legal deadline is added to the promised one, so
 * the two pause and resume together. Null when the receipt carries no date. Approval shows it on
 * the work item, intake on the case view.
 */
export function promisedDueAt(
  receiptNumber: string,
  promisedDays: number,
  legal: LegalDeadline,
  clock: PromiseClock,
): Date | null {
  const day = /-(\d{4})(\d{2})(\d{2})-\d+$/.exec(receiptNumber);
  if (!day) return null;
  const acceptedDay = new Date(`${day[1]}-${day[2]}-${day[3]}T12:00:00+08:00`);
  const promised = clock.addWorkingDays(acceptedDay, promisedDays);
  const pausedSeconds =
    legal.dueAt > legal.firstDueAt ? clock.workingSecondsBetween(legal.firstDueAt, legal.dueAt) : 0;
  return pausedSeconds > 0 ? clock.addWorkingSeconds(promised, pausedSeconds) : promised;
}
