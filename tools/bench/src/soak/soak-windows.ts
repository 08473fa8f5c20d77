import { type Distribution, distribution } from '../latency-distribution';
import type { GroupUsage } from '../pipeline/process-sampler';

/** One accepted case: when POST /cases answered 201, how long it took, and when its parcel was ready. */
export interface SoakCase {
  readonly acceptedAt: number;
  readonly postMs: number;
  /** When delivery committed the parcel (PostgreSQL's clock); absent while it has none. */
  readonly completedAt?: number;
}

/** What the soak read at a window's end, besides the cases. */
export interface WindowReadings {
  readonly usage: readonly GroupUsage[];
  /** Highest total lag of each service's consumer group seen in the window (sampled). */
  readonly maxLag: Readonly<Record<string, number>>;
  /** Total lag of each group at the window's end. */
  readonly lagAtEnd: Readonly<Record<string, number>>;
  /** Each service database's size at the window's end (pg_database_size). */
  readonly databaseBytes: Readonly<Record<string, number>>;
  /** Records on the project's topics (sum of end offsets) at the window's end. */
  readonly topicRecords: number;
  /** The broker's data directory on disk at the window's end; absent when not on this machine. */
  readonly topicBytes?: number;
}

export interface SoakWindow extends WindowReadings {
  readonly index: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly accepted: number;
  readonly failedPosts: number;
  /** Parcels committed within the window, per second. */
  readonly completedPerSecond: number;
  /** Acceptance to parcel ready, of the cases accepted in the window. */
  readonly endToEndMs: Distribution;
  readonly postMs: Distribution;
  /** Accepted in the window and still without a parcel when the soak ended. */
  readonly unfinished: number;
}

/** Splits the cases by the window they were accepted in (and counts completions by their own time). */
export function soakWindow(
  index: number,
  startedAt: number,
  endedAt: number,
  cases: readonly SoakCase[],
  failedPosts: number,
  readings: WindowReadings,
): SoakWindow {
  const accepted = cases.filter((item) => item.acceptedAt >= startedAt && item.acceptedAt < endedAt);
  const completedInWindow = cases.filter(
    (item) => item.completedAt !== undefined && item.completedAt >= startedAt && item.completedAt < endedAt,
  ).length;
  const finished = accepted.filter((item) => item.completedAt !== undefined);
  return {
    index,
    startedAt,
    endedAt,
    accepted: accepted.length,
    failedPosts,
    completedPerSecond: completedInWindow / Math.max((endedAt - startedAt) / 1000, 1e-9),
    endToEndMs: distribution(finished.map((item) => item.completedAt! - item.acceptedAt)),
    postMs: distribution(accepted.map((item) => item.postMs)),
    unfinished: accepted.length - finished.length,
    ...readings,
  };
}

export interface Trend {
  readonly what: string;
  /** The reference value: the second window's (the first warms caches, JIT and pools) or the first's. */
  readonly from: number;
  readonly last: number;
  /** How the verdict was reached, for the report. */
  readonly reading: string;
  readonly levelsOff: boolean;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/**
 * Whether a per-window series stops growing: from the second window to the last it may grow by at
 * most `tolerance` (a share). Series that grow with the data (database and topic sizes) are not
 * judged this way; the report gives them per accepted case.
 */
export function trend(what: string, series: readonly number[], tolerance: number): Trend {
  const from = series.length > 2 ? series[1]! : (series[0] ?? 0);
  const last = series.at(-1) ?? 0;
  const growth = from > 0 ? (last - from) / from : last > 0 ? Number.POSITIVE_INFINITY : 0;
  return {
    what,
    from,
    last,
    reading: `${growth >= 0 ? '+' : ''}${percent(growth)} (allowed ${percent(tolerance)})`,
    levelsOff: growth <= tolerance,
  };
}

/** The soak's own process in the usage tables. */
export const LOAD_GENERATOR = 'soak load generator';

/** Seconds of load a consumer group may be behind at a window's end and still be keeping up. */
const LAG_ALLOWANCE_SECONDS = 10;

/**
 * Memory of every process group must level off; every consumer group must be no more than a few
 * seconds of load behind at each window's end (a backlog that only grows is the defect); the
 * end-to-end p95 may not double.
 */
export function soakTrends(windows: readonly SoakWindow[]): Trend[] {
  const trends: Trend[] = [];
  // The load generator keeps every case it sent for the report: its growth is the measurement's.
  const groups = (windows[0]?.usage.map((usage) => usage.name) ?? []).filter(
    (name) => name !== LOAD_GENERATOR,
  );
  for (const name of groups)
    trends.push(
      trend(
        `peak memory (MiB): ${name}`,
        windows.map((window) => window.usage.find((usage) => usage.name === name)?.peakMemoryMiB ?? 0),
        0.15,
      ),
    );
  for (const group of Object.keys(windows[0]?.lagAtEnd ?? {})) {
    const worst = Math.max(
      ...windows.map((window) => {
        const perSecond = window.accepted / Math.max((window.endedAt - window.startedAt) / 1000, 1);
        return (window.lagAtEnd[group] ?? 0) / Math.max(perSecond, 1);
      }),
    );
    trends.push({
      what: `consumer lag at window ends: ${group}`,
      from: windows[0]?.lagAtEnd[group] ?? 0,
      last: windows.at(-1)?.lagAtEnd[group] ?? 0,
      reading: `at most ${worst.toFixed(1)} s of load behind (allowed ${LAG_ALLOWANCE_SECONDS} s)`,
      levelsOff: worst <= LAG_ALLOWANCE_SECONDS,
    });
  }
  trends.push(
    trend(
      'end-to-end p95 (ms)',
      windows.map((window) => window.endToEndMs.p95),
      1,
    ),
  );
  return trends;
}
