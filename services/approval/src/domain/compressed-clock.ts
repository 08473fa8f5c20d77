import type { WorkingClock } from './sla-clock';

/** The working hours a working day stands for in the compressed test clock. */
export const COMPRESSED_WORKING_DAY_SECONDS = 8 * 3600;

/**
 * The test clock of SLA_TEST_SECONDS_PER_DAY: time runs continuously (no nights,
 * weekends or holidays) and one working day of 8 working hours lasts `secondsPerDay` wall-clock
 * seconds. The clock logic is the production one; only the calendar is replaced.
 */
export class CompressedClock implements WorkingClock {
  private readonly workingPerWall: number;

  constructor(readonly secondsPerDay: number) {
    this.workingPerWall = COMPRESSED_WORKING_DAY_SECONDS / secondsPerDay;
  }

  addWorkingDays(from: Date, days: number): Date {
    return new Date(from.getTime() + days * this.secondsPerDay * 1000);
  }

  workingSecondsBetween(from: Date, to: Date): number {
    return (Math.max(0, to.getTime() - from.getTime()) / 1000) * this.workingPerWall;
  }

  addWorkingSeconds(from: Date, seconds: number): Date {
    return new Date(from.getTime() + Math.round((seconds / this.workingPerWall) * 1000));
  }
}
