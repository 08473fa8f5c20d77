import { serviceConfigSchemaWith } from '@tongban/runtime';
import { z } from 'zod';

/**
 * The supervision service holds no personal data and no keys: it reads the case events' masked
 * and clear fields only. Its settings of its own: the rectification limit, which regions set
 * differently (5 or 15 working days in the field reports), and the report schedule's poll.
 */
export const supervisionConfigSchema = serviceConfigSchemaWith('supervision', {
  RECTIFICATION_WORKING_DAYS: z.coerce
    .number({ message: 'must be a whole number of working days' })
    .int({ message: 'must be a whole number of working days' })
    .min(1, 'must be 1 to 60 working days')
    .max(60, 'must be 1 to 60 working days')
    .default(5),
  // How often each instance checks that yesterday's, last week's and last month's reports exist.
  REPORT_SCHEDULE_POLL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int({ message: 'must be a whole number of milliseconds' })
    .min(1000, 'must be at least 1000 ms')
    .default(300_000),
});

export type SupervisionConfig = z.infer<typeof supervisionConfigSchema>;

/** The rectification policy, as one injectable value. */
export interface RectificationPolicy {
  readonly workingDays: number;
}

export const RECTIFICATION_POLICY = Symbol('RECTIFICATION_POLICY');

export const REPORT_SCHEDULE = Symbol('REPORT_SCHEDULE');

export interface ReportSchedule {
  readonly pollMs: number;
}
