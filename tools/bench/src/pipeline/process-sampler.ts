import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100;

export interface ProcessGroup {
  readonly name: string;
  /** The processes it stands for now (PostgreSQL: the postmaster and every backend). */
  readonly pids: () => number[];
}

export interface GroupUsage {
  readonly name: string;
  /** Average cores busy over the window (1.0 = one core the whole time). */
  readonly cpuCores: number;
  /** Highest resident memory seen (sum of PSS over the group's processes, sampled), MiB. */
  readonly peakMemoryMiB: number;
}

/** Parses utime + stime (fields 14 and 15) of /proc/<pid>/stat, in ticks. */
export function cpuTicksOf(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Proportional set size in kB from /proc/<pid>/smaps_rollup (shared pages split among sharers). */
export function pssKiBOf(smapsRollup: string): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(smapsRollup);
  return match ? Number(match[1]) : 0;
}

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
};

/** Processes whose command name (/proc/<pid>/comm) is `comm`. */
export function pidsByCommand(comm: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => read(`/proc/${pid}/comm`)?.trim() === comm);
}

/**
 * Samples CPU time and memory of process groups once per interval. CPU is counted per pid and
 * summed, so a backend that ends mid-window keeps what it used until its last sample.
 */
export class ProcessSampler {
  private readonly firstTicks = new Map<string, number>();
  private readonly lastTicks = new Map<string, number>();
  private readonly peakKiB = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private stoppedAt = 0;

  constructor(private readonly groups: readonly ProcessGroup[]) {}

  start(intervalMs = 1000): void {
    this.startedAt = Date.now();
    this.sample(true);
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): GroupUsage[] {
    clearInterval(this.timer);
    this.sample();
    this.stoppedAt = Date.now();
    const seconds = (this.stoppedAt - this.startedAt) / 1000;
    return this.groups.map(({ name }) => {
      let ticks = 0;
      for (const [key, last] of this.lastTicks)
        if (key.startsWith(`${name}:`)) ticks += last - (this.firstTicks.get(key) ?? last);
      return {
        name,
        cpuCores: ticks / TICKS_PER_SECOND / seconds,
        peakMemoryMiB: (this.peakKiB.get(name) ?? 0) / 1024,
      };
    });
  }

  /** Processes seen first after the initial sample started within the window: all their time counts. */
  private sample(initial = false): void {
    for (const group of this.groups) {
      let pss = 0;
      for (const pid of group.pids()) {
        const stat = read(`/proc/${pid}/stat`);
        if (stat === undefined) continue;
        const key = `${group.name}:${pid}`;
        const ticks = cpuTicksOf(stat);
        if (!this.firstTicks.has(key)) this.firstTicks.set(key, initial ? ticks : 0);
        this.lastTicks.set(key, ticks);
        pss += pssKiBOf(read(`/proc/${pid}/smaps_rollup`) ?? '');
      }
      this.peakKiB.set(group.name, Math.max(pss, this.peakKiB.get(group.name) ?? 0));
    }
  }
}
