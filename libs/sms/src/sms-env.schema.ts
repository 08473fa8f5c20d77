import { positiveInt } from '@tongban/config';
import { z } from 'zod';

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface QuietHours {
  readonly startMinute: number;
  readonly endMinute: number;
}

/** `off`, or `HH:MM-HH:MM` in China time (may span midnight): no message leaves in between. */
const quietHours = z
  .string()
  .default('21:30-08:00')
  .transform((value, ctx): QuietHours | null => {
    if (value === 'off') return null;
    const parts = value.split('-');
    const start = CLOCK.exec(parts[0] ?? '');
    const end = CLOCK.exec(parts[1] ?? '');
    if (!start || !end || parts.length !== 2) {
      ctx.addIssue({ code: 'custom', message: 'must be off or HH:MM-HH:MM (China time)' });
      return z.NEVER;
    }
    return {
      startMinute: Number(start[1]) * 60 + Number(start[2]),
      endMinute: Number(end[1]) * 60 + Number(end[2]),
    };
  });

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .default(fallback)
    .transform((value) => new URL(value));

/**
 * The variables of the service that texts applicants: the provider (Tencent Cloud SMS, or the
 * local gateway speaking its API), the sender's pace and limits, and the links in the texts.
 * Documented in docs/operations.md.
 */
export const smsEnvSchema = z.object({
  SMS_PROVIDER: z.enum(['tencent']).default('tencent'),
  SMS_ENDPOINT: httpUrl('https://sms.tencentcloudapi.com'),
  SMS_REGION: z.string().min(1).default('ap-guangzhou'),
  SMS_SECRET_ID: z.string({ error: 'required: the provider API SecretId' }).min(1),
  SMS_SECRET_KEY: z.string({ error: 'required: the provider API SecretKey' }).min(1),
  SMS_SDK_APP_ID: z.string({ error: 'required: the SMS application id' }).regex(/^\d+$/, 'must be digits'),
  SMS_SIGN_NAME: z.string().min(2).max(20).default('通办通取'),
  SMS_TIMEOUT_SECONDS: positiveInt(10),
  SMS_MAX_ATTEMPTS: positiveInt(8),
  SMS_RETRY_INITIAL_MS: positiveInt(5000),
  SMS_RETRY_MAX_MS: positiveInt(600_000),
  SMS_POLL_MS: positiveInt(1000),
  SMS_BATCH_SIZE: positiveInt(50),
  SMS_STATUS_POLL_MS: positiveInt(5000),
  SMS_QUIET_HOURS: quietHours,
  SMS_PER_PHONE_PER_HOUR: positiveInt(10),
  NOTIFY_SUPPLEMENT_REMINDER_HOURS: positiveInt(48),
  APPLICANT_BASE_URL: httpUrl('http://127.0.0.1:3001'),
});
