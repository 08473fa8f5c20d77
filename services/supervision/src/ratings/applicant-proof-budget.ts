import { Injectable } from '@nestjs/common';
import { ResilientThrottlerStorage, spendProofAttempt } from '@tongban/auth';

/** Ten tries per receipt on the applicant's rating route, then locked for 15 minutes, as intake's. */
const BUDGET = { attempts: 10, lockoutMs: 15 * 60_000 };

@Injectable()
export class ApplicantProofBudget {
  constructor(private readonly throttler: ResilientThrottlerStorage) {}

  spend(receipt: string): Promise<void> {
    return spendProofAttempt(
      this.throttler,
      'tongban:supervision:applicant-proof',
      `receipt:${receipt}`,
      BUDGET,
    );
  }
}
