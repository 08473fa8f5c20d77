import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Six digits: what an applicant can read out at a door or a window. */
export const PICKUP_CODE = /^\d{6}$/;

export function generatePickupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * The stored form of a code: an HMAC keyed with the service's secret hash key and bound to the
 * parcel, so a leaked table cannot be brute-forced offline (a million codes) nor a hash replayed
 * on another parcel.
 */
export function hashPickupCode(hashKey: Buffer, parcelId: string, code: string): string {
  return createHmac('sha256', hashKey).update(`pickup-code:${parcelId}:${code}`, 'utf8').digest('base64url');
}

export interface StoredCode {
  readonly hash: string | null;
  readonly expiresAt: Date | null;
  /** Wrong proofs given for the parcel since the code was issued. */
  readonly failures: number;
}

export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'locked' | 'no_code';

/**
 * Checks a candidate's hash against the stored one. Locking is decided before the comparison,
 * so a locked parcel answers the same for right and wrong guesses.
 */
export function checkPickupCode(
  stored: StoredCode,
  candidateHash: string,
  now: Date,
  maxFailures: number,
): CodeCheck {
  if (stored.failures >= maxFailures) return 'locked';
  if (!stored.hash || !stored.expiresAt) return 'no_code';
  if (stored.expiresAt.getTime() <= now.getTime()) return 'expired';
  const expected = Buffer.from(stored.hash);
  const given = Buffer.from(candidateHash);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'wrong';
}

/** ID last-4 proof, against the masked ID number the parcel carries (`440306********002X`). */
export function checkIdLast4(
  maskedId: string | null,
  last4: string,
  failures: number,
  maxFailures: number,
): CodeCheck {
  if (failures >= maxFailures) return 'locked';
  if (!maskedId) return 'no_code';
  return maskedId.slice(-4).toUpperCase() === last4.toUpperCase() ? 'ok' : 'wrong';
}

/** 帮办代办: the lookup hash of the ID number the agent shows against the one intake kept. */
export function checkAgentId(
  keptHash: string | null,
  givenHash: string,
  failures: number,
  maxFailures: number,
): CodeCheck {
  if (failures >= maxFailures) return 'locked';
  if (!keptHash) return 'no_code';
  const expected = Buffer.from(keptHash);
  const given = Buffer.from(givenHash);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'wrong';
}
