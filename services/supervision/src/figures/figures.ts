/** The dimensions figures are grouped by. */
export const FIGURE_DIMENSIONS = ['office', 'department', 'item', 'staff', 'district'] as const;
export type FigureDimension = (typeof FIGURE_DIMENSIONS)[number];

/** Counts of the cases accepted in the period, per key (SQL aggregates). */
export interface CaseCounts {
  readonly key: string;
  readonly accepted: number;
  readonly decided: number;
  readonly on_time_legal: number;
  readonly with_promise: number;
  readonly on_time_promised: number;
  readonly instant: number;
  readonly avg_working_days: number | null;
  readonly p90_working_days: number | null;
  readonly supplement_rounds: number;
  readonly rongque: number;
  readonly rongque_completed: number;
  readonly routed: number;
  readonly cross_district: number;
}

/** Counts of the ratings given in the period, per key (withdrawn ratings apart). */
export interface RatingCounts {
  readonly key: string;
  readonly ratings: number;
  readonly satisfied: number;
  readonly bad: number;
  readonly visited: number;
  readonly rectified: number;
  readonly rectified_on_time: number;
  readonly explained: number;
  readonly withdrawn: number;
  readonly open: number;
}

export interface Figures {
  readonly key: string;
  readonly accepted: number;
  readonly decided: number;
  readonly decidedOnTimeLegal: number;
  readonly onTimeRateLegal: number | null;
  readonly decidedOnTimePromised: number;
  readonly onTimeRatePromised: number | null;
  readonly instant: number;
  readonly instantRate: number | null;
  readonly avgWorkingDays: number | null;
  readonly p90WorkingDays: number | null;
  readonly supplementRoundsPerCase: number | null;
  readonly rongqueCases: number;
  readonly rongqueCompleted: number;
  readonly rongqueCompletionRate: number | null;
  readonly crossDistrict: number;
  readonly crossDistrictShare: number | null;
  readonly ratings: number;
  readonly satisfied: number;
  readonly satisfactionRate: number | null;
  readonly badRatings: number;
  readonly returnVisited: number;
  readonly returnVisitRate: number | null;
  readonly rectified: number;
  readonly rectifiedOnTime: number;
  readonly explained: number;
  /** (rectified + explained) / 差评: the share of 差评 handled to the end and fed back. */
  readonly handledRate: number | null;
  readonly openRectifications: number;
  readonly withdrawnRatings: number;
}

/** A share rounded to four places, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

function rounded(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

const NO_CASES: Omit<CaseCounts, 'key'> = {
  accepted: 0,
  decided: 0,
  on_time_legal: 0,
  with_promise: 0,
  on_time_promised: 0,
  instant: 0,
  avg_working_days: null,
  p90_working_days: null,
  supplement_rounds: 0,
  rongque: 0,
  rongque_completed: 0,
  routed: 0,
  cross_district: 0,
};

const NO_RATINGS: Omit<RatingCounts, 'key'> = {
  ratings: 0,
  satisfied: 0,
  bad: 0,
  visited: 0,
  rectified: 0,
  rectified_on_time: 0,
  explained: 0,
  withdrawn: 0,
  open: 0,
};

/** The figures per key, from the two aggregates; a key with only cases or only ratings counts zeros. */
export function combineFigures(cases: readonly CaseCounts[], ratings: readonly RatingCounts[]): Figures[] {
  const keys = [...new Set([...cases.map((row) => row.key), ...ratings.map((row) => row.key)])].sort();
  return keys.map((key) => {
    const c = cases.find((row) => row.key === key) ?? { key, ...NO_CASES };
    const r = ratings.find((row) => row.key === key) ?? { key, ...NO_RATINGS };
    return {
      key,
      accepted: c.accepted,
      decided: c.decided,
      decidedOnTimeLegal: c.on_time_legal,
      onTimeRateLegal: ratio(c.on_time_legal, c.decided),
      decidedOnTimePromised: c.on_time_promised,
      onTimeRatePromised: ratio(c.on_time_promised, c.with_promise),
      instant: c.instant,
      instantRate: ratio(c.instant, c.decided),
      avgWorkingDays: rounded(c.avg_working_days),
      p90WorkingDays: rounded(c.p90_working_days),
      supplementRoundsPerCase: c.accepted > 0 ? rounded(c.supplement_rounds / c.accepted) : null,
      rongqueCases: c.rongque,
      rongqueCompleted: c.rongque_completed,
      rongqueCompletionRate: ratio(c.rongque_completed, c.rongque),
      crossDistrict: c.cross_district,
      crossDistrictShare: ratio(c.cross_district, c.routed),
      ratings: r.ratings,
      satisfied: r.satisfied,
      satisfactionRate: ratio(r.satisfied, r.ratings),
      badRatings: r.bad,
      returnVisited: r.visited,
      returnVisitRate: ratio(r.visited, r.bad),
      rectified: r.rectified,
      rectifiedOnTime: r.rectified_on_time,
      explained: r.explained,
      handledRate: ratio(r.rectified + r.explained, r.bad),
      openRectifications: r.open,
      withdrawnRatings: r.withdrawn,
    };
  });
}

export interface RankedWindow extends Figures {
  readonly rank: number;
}

const descending = (a: number | null, b: number | null) => (b ?? -1) - (a ?? -1);

/**
 * The monthly ranking of windows (offices): satisfaction first, then the legal on-time rate,
 * the instant rate and the cases accepted; a window with no rating ranks below any rated one.
 * Equal figures share a rank (1, 2, 2, 4).
 */
export function rankWindows(figures: readonly Figures[]): RankedWindow[] {
  const sorted = [...figures].sort(
    (a, b) =>
      descending(a.satisfactionRate, b.satisfactionRate) ||
      descending(a.onTimeRateLegal, b.onTimeRateLegal) ||
      descending(a.instantRate, b.instantRate) ||
      b.accepted - a.accepted ||
      a.key.localeCompare(b.key),
  );
  const same = (a: Figures, b: Figures) =>
    a.satisfactionRate === b.satisfactionRate &&
    a.onTimeRateLegal === b.onTimeRateLegal &&
    a.instantRate === b.instantRate &&
    a.accepted === b.accepted;
  const ranked: RankedWindow[] = [];
  sorted.forEach((entry, index) => {
    const previous = ranked[index - 1];
    ranked.push({ ...entry, rank: previous && same(previous, entry) ? previous.rank : index + 1 });
  });
  return ranked;
}

/** The half-open instant range of local dates [from, to] in China time. */
export function periodOf(from: string, to: string): { start: Date; end: Date } {
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000);
  return { start, end };
}

/** A month (YYYY-MM) as its first and last local dates. */
export function monthPeriod(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
