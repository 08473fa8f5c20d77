import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ResilientThrottlerStorage } from '@tongban/auth';

const ATTEMPTS = 10;
const LOCKOUT_MS = 15 * 60_000;

/**
 * The applicant's rating route is public and proved by a receipt number (sequential, so
 * guessable) and a phone ending (10⁴ values): each receipt takes ten tries, right or wrong, then
 * is locked for 15 minutes whoever asks, as intake's tracking and rating are. Counted in Redis
 * (in-process while Redis is down).
 */
@Injectable()
export class ApplicantProofBudget {
  constructor(private readonly throttler: ResilientThrottlerStorage) {}

  async spend(receipt: string): Promise<void> {
    // Hashed: receipts do not sit in Redis in the clear.
    const digest = createHash('sha256').update(`receipt:${receipt}`).digest('base64url');
    const record = await this.throttler.increment(
      `tongban:supervision:applicant-proof:${digest}`,
      LOCKOUT_MS,
      ATTEMPTS,
      LOCKOUT_MS,
      'applicant-proof',
    );
    if (record.isBlocked) {
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `at most ${ATTEMPTS} tries per receipt; this receipt is locked for now`,
          retryAfterSeconds: Math.max(1, record.timeToBlockExpire),
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }
}
