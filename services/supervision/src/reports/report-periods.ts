import { dayNumber, localDateOf, localDateOfDay, weekdayOfDay } from '@tongban/reference-data';

/** 日报告、周通报、月汇总. */
export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A report's period: China dates, both included. */
export interface ReportPeriod {
  readonly kind: ReportKind;
  readonly from: string;
  readonly to: string;
}

export const KIND_LABELS: Readonly<Record<ReportKind, string>> = {
  daily: '日报告',
  weekly: '周通报',
  monthly: '月汇总',
};

/**
 * The period of a kind that starts on `from`, or why it cannot: a week starts on a Monday, a
 * month on its first day.
 */
export function periodStarting(kind: ReportKind, from: string): ReportPeriod | string {
  const day = dayNumber(from);
  if (kind === 'daily') return { kind, from, to: from };
  if (kind === 'weekly') {
    if (weekdayOfDay(day) !== 1) return 'a weekly report starts on a Monday';
    return { kind, from, to: localDateOfDay(day + 6) };
  }
  if (!from.endsWith('-01')) return 'a monthly report starts on the first day of a month';
  const [year, month] = from.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { kind, from, to: `${from.slice(0, 8)}${String(last).padStart(2, '0')}` };
}

/**
 * The last completed period of each kind at `now` (China time): yesterday, last Monday–Sunday,
 * last month. What the schedule makes sure exists.
 */
export function lastCompletedPeriods(now: Date): ReportPeriod[] {
  const today = dayNumber(localDateOf(now));
  const yesterday = localDateOfDay(today - 1);
  const weekday = weekdayOfDay(today);
  const lastMonday = localDateOfDay(today - ((weekday + 6) % 7) - 7);
  const thisMonth = localDateOf(now).slice(0, 8);
  const [year, month] = thisMonth.split('-').map(Number) as [number, number];
  const previousMonth =
    month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, '0')}-01`;
  return [
    { kind: 'daily', from: yesterday, to: yesterday },
    periodStarting('weekly', lastMonday) as ReportPeriod,
    periodStarting('monthly', previousMonth) as ReportPeriod,
  ];
}
