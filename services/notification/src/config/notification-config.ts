import { piiEnvSchema } from '@tongban/pii';
import { serviceConfigSchemaWith } from '@tongban/runtime';
import { type QuietHours, smsEnvSchema } from '@tongban/sms';
import type { z } from 'zod';

/**
 * The notification service opens the applicant's phone to text it (PII keys) and signs the links
 * in its messages with PII_HASH_KEY (under a label of their own, so a link reveals no lookup hash).
 */
export const notificationConfigSchema = serviceConfigSchemaWith('notification', {
  ...piiEnvSchema.shape,
  ...smsEnvSchema.shape,
});

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
export type { QuietHours };

/** The sender's settings, as one injectable value. */
export interface SenderSettings {
  readonly maxAttempts: number;
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly pollMs: number;
  readonly batchSize: number;
  readonly statusPollMs: number;
  readonly quietHours: QuietHours | null;
  readonly perPhonePerHour: number;
}

export const SENDER_SETTINGS = Symbol('SENDER_SETTINGS');
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

export function senderSettings(config: NotificationConfig): SenderSettings {
  return {
    maxAttempts: config.SMS_MAX_ATTEMPTS,
    backoff: { initialMs: config.SMS_RETRY_INITIAL_MS, maxMs: config.SMS_RETRY_MAX_MS },
    pollMs: config.SMS_POLL_MS,
    batchSize: config.SMS_BATCH_SIZE,
    statusPollMs: config.SMS_STATUS_POLL_MS,
    quietHours: config.SMS_QUIET_HOURS,
    perPhonePerHour: config.SMS_PER_PHONE_PER_HOUR,
  };
}
