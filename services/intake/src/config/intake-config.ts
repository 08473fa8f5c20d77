import { positiveInt } from '@tongban/config';
import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchemaWith } from '@tongban/runtime';
import type { z } from 'zod';

// Intake encrypts the applicants' ID and phone numbers, so it needs the PII keys.
export const intakeConfigSchema = serviceConfigSchemaWith('intake', {
  ...piiEnvSchema.shape,
  APPLICANT_PROOF_ATTEMPTS: positiveInt(10),
  APPLICANT_PROOF_LOCKOUT_MINUTES: positiveInt(60),
  RONGQUE_TIMER_INTERVAL_MS: positiveInt(30_000),
  RONGQUE_REMINDER_HOURS: positiveInt(24),
});

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;

/** How many receipt + phone-ending proofs a receipt takes, right or wrong, before it is locked. */
export interface ApplicantProofSettings {
  readonly attempts: number;
  readonly lockoutMs: number;
}

export const APPLICANT_PROOF_SETTINGS = Symbol('APPLICANT_PROOF_SETTINGS');

export function applicantProofSettings(config: IntakeConfig): ApplicantProofSettings {
  return {
    attempts: config.APPLICANT_PROOF_ATTEMPTS,
    lockoutMs: config.APPLICANT_PROOF_LOCKOUT_MINUTES * 60_000,
  };
}

/** How often the 容缺 deadline timer looks for near and passed deadlines, and how many it fires per look. */
export interface RongqueTimerSettings {
  readonly intervalMs: number;
  readonly batchSize: number;
  /** How long before the deadline the reminder fires. */
  readonly reminderMs: number;
}

export const RONGQUE_TIMER_SETTINGS = Symbol('RONGQUE_TIMER_SETTINGS');

export function rongqueTimerSettings(config: IntakeConfig): RongqueTimerSettings {
  return {
    intervalMs: config.RONGQUE_TIMER_INTERVAL_MS,
    batchSize: 100,
    reminderMs: config.RONGQUE_REMINDER_HOURS * 3_600_000,
  };
}
