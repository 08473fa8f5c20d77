import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchemaWith } from '@tongban/runtime';
import { z } from 'zod';

/** The approval service's own variables: the SLA clock (限时办结 + 电子监察) and supplements. */
export const approvalEnvShape = {
  /**
   * A reviewer may open the applicant's sealed name (audited): the same keys as intake, which
   * sealed it. Nothing else of the applicant is decrypted here.
   */
  ...piiEnvSchema.shape,
  /** Share of the statutory working time used at which the warning fires. */
  SLA_WARNING_SHARE: z.coerce.number().gt(0).lt(1).default(0.8),
  /** Working hours after the deadline at which an overdue case is escalated to the supervisor. */
  SLA_ESCALATION_WORKING_HOURS: z.coerce.number().min(0).max(2000).default(8),
  /** How often each instance looks for due SLA timers. */
  SLA_TIMER_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  /**
   * Test clock: when set, the SLA clock runs continuously (no nights, weekends or holidays) and
   * one working day (8 working hours) lasts this many wall-clock seconds. Refused in production.
   */
  SLA_TEST_SECONDS_PER_DAY: z.coerce.number().positive().max(86_400).optional(),
  /** Working days the applicant has to answer a supplement request when the item sets none (容缺). */
  SUPPLEMENT_RESPONSE_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
};

export const approvalConfigSchema = serviceConfigSchemaWith('approval', approvalEnvShape).refine(
  (env) => env.NODE_ENV !== 'production' || env.SLA_TEST_SECONDS_PER_DAY === undefined,
  {
    message: 'the compressed test clock is refused in production',
    path: ['SLA_TEST_SECONDS_PER_DAY'],
  },
);

export type ApprovalConfig = z.infer<typeof approvalConfigSchema>;
