import { createHash } from 'node:crypto';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { ResilientThrottlerStorage } from './resilient-throttler.storage';

export interface ProofBudget {
  readonly attempts: number;
  readonly lockoutMs: number;
}

/**
 * Counts one try at proving an applicant's routes on `tracker` (the case or receipt a public route
 * is asked about), right or wrong, and answers 429 with Retry-After once `attempts` are spent:
 * the tracker is then locked for `lockoutMs` whoever asks and from wherever. Receipts are
 * sequential and phone endings have 10⁴ values, so the budget is what stops guessing. Counted in
 * Redis under `namespace` (in-process while Redis is down, see ResilientThrottlerStorage); the
 * tracker is hashed so receipts and case ids do not sit there in the clear.
 */
export async function spendProofAttempt(
  throttler: ResilientThrottlerStorage,
  namespace: string,
  tracker: string,
  { attempts, lockoutMs }: ProofBudget,
): Promise<void> {
  const digest = createHash('sha256').update(tracker).digest('base64url');
  const record = await throttler.increment(
    `${namespace}:${digest}`,
    lockoutMs,
    attempts,
    lockoutMs,
    'applicant-proof',
  );
  if (record.isBlocked) {
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `at most ${attempts} tries per receipt; this receipt is locked for now`,
        retryAfterSeconds: Math.max(1, record.timeToBlockExpire),
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
