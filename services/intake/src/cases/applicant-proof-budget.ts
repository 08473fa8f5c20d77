import { Inject, Injectable } from '@nestjs/common';
import { ResilientThrottlerStorage, spendProofAttempt } from '@tongban/auth';
import { APPLICANT_PROOF_SETTINGS, type ApplicantProofSettings } from '../config/intake-config';

/**
 * The applicant's routes (tracking, rating) take APPLICANT_PROOF_ATTEMPTS tries per receipt, right
 * or wrong; one more locks it for APPLICANT_PROOF_LOCKOUT_MINUTES (spendProofAttempt).
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
  spend(subject: { readonly caseId: string } | { readonly receipt: string }): Promise<void> {
    const tracker = 'caseId' in subject ? `case:${subject.caseId}` : `receipt:${subject.receipt}`;
    return spendProofAttempt(this.throttler, 'tongban:intake:applicant-proof', tracker, this.settings);
  }
}
