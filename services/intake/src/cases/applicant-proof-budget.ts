import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ResilientThrottlerStorage } from '@tongban/auth';
import { APPLICANT_PROOF_SETTINGS, type ApplicantProofSettings } from '../config/intake-config';

/**
 * The applicant's routes (tracking, rating) are public and proved by a receipt number, which is
 * sequential and so guessable, plus a phone ending (10⁴ values). Each receipt takes
 * APPLICANT_PROOF_ATTEMPTS tries, right or wrong; one more locks it for
 * APPLICANT_PROOF_LOCKOUT_MINUTES (429 with Retry-After), whoever asks and from wherever, so
 * spreading guesses over addresses gains nothing. Counted in Redis, shared by every instance
 * (in-process while Redis is down, see ResilientThrottlerStorage).
 */
@Injectable()
export class ApplicantProofBudget {
  constructor(
    @Inject(APPLICANT_PROOF_SETTINGS) private readonly settings: ApplicantProofSettings,
    private readonly throttler: ResilientThrottlerStorage,
  ) {}

  /**
   * Counts one try on what the receipt names: its case, or the receipt itself when it names
   * none (so misses are bounded too); 429 once the budget is spent.
   */
  async spend(subject: { readonly caseId: string } | { readonly receipt: string }): Promise<void> {
    // Hashed: receipts and case ids do not sit in Redis in the clear.
    const tracker = 'caseId' in subject ? `case:${subject.caseId}` : `receipt:${subject.receipt}`;
    const digest = createHash('sha256').update(tracker).digest('base64url');
    const { attempts, lockoutMs } = this.settings;
    const record = await this.throttler.increment(
      `tongban:intake:applicant-proof:${digest}`,
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
}
