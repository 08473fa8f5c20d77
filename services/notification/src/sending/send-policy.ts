import { backoffDelay, type BackoffPolicy } from '@tongban/messaging';
import type { QuietHours } from '../config/notification-config';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
// China has no daylight saving time: UTC+8 all year.
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/**
 * When the quiet hours around `now` end (China time), or null outside them. A window may span
 * midnight (21:30-08:00); an empty one (start = end) is never quiet.
 */
export function quietUntil(now: Date, quiet: QuietHours | null): Date | null {
  if (!quiet || quiet.startMinute === quiet.endMinute) return null;
  const local = now.getTime() + CHINA_OFFSET_MS;
  const dayStart = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const minute = Math.floor((local - dayStart) / MINUTE_MS);
  const spansMidnight = quiet.startMinute > quiet.endMinute;
  const inside = spansMidnight
    ? minute >= quiet.startMinute || minute < quiet.endMinute
    : minute >= quiet.startMinute && minute < quiet.endMinute;
  if (!inside) return null;
  const endDay = spansMidnight && minute >= quiet.startMinute ? dayStart + DAY_MS : dayStart;
  return new Date(endDay + quiet.endMinute * MINUTE_MS - CHINA_OFFSET_MS);
}

/**
 * When a phone may get its next message: null while fewer than `perHour` went to it in the last
 * hour, otherwise an hour after the oldest of those.
 */
export function rateLimitedUntil(sentAt: readonly Date[], perHour: number, now: Date): Date | null {
  const recent = sentAt
    .filter((at) => now.getTime() - at.getTime() < HOUR_MS)
    .sort((a, b) => a.getTime() - b.getTime());
  const oldestCounted = recent[recent.length - perHour];
  return oldestCounted ? new Date(oldestCounted.getTime() + HOUR_MS) : null;
}

export type RetryDecision = { readonly next: 'retry'; readonly at: Date } | { readonly next: 'dead_letter' };

/**
 * After a failed attempt (`attempts` counts it): the next try, with exponential backoff and never
 * sooner than the provider asked (Retry-After), or the dead letter once `maxAttempts` are used.
 */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  backoff: BackoffPolicy,
  now: Date,
  retryAfterMs = 0,
  random: () => number = Math.random,
): RetryDecision {
  if (attempts >= maxAttempts) return { next: 'dead_letter' };
  const delay = Math.max(backoffDelay(backoff, attempts, random), retryAfterMs);
  return { next: 'retry', at: new Date(now.getTime() + delay) };
}
