import { type DynamicModule, Module } from '@nestjs/common';
import { createPiiCipher, PiiCipher } from '@tongban/pii';
import {
  APPLICANT_PROOF_SETTINGS,
  applicantProofSettings,
  type IntakeConfig,
  RONGQUE_TIMER_SETTINGS,
  rongqueTimerSettings,
} from '../config/intake-config';
import { APPLICANT_LINK_KEY, ApplicantLinksController } from './applicant-links.controller';
import { ApplicantProofBudget } from './applicant-proof-budget';
import { CaseCatalogue } from './case-catalogue';
import { CaseFollowups } from './case-followups.service';
import { CaseQueries } from './case-queries.service';
import { CaseSearchController } from './case-search.controller';
import { CaseStore } from './case-store';
import { CaseSubmissionService } from './case-submission.service';
import { CasesController } from './cases.controller';
import { IntakeMetrics } from './intake-metrics';
import { RongqueService } from './rongque.service';

@Module({})
export class CasesModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: CasesModule,
      controllers: [CaseSearchController, CasesController, ApplicantLinksController],
      providers: [
        { provide: PiiCipher, useFactory: () => createPiiCipher(config) },
        { provide: APPLICANT_PROOF_SETTINGS, useValue: applicantProofSettings(config) },
        { provide: RONGQUE_TIMER_SETTINGS, useValue: rongqueTimerSettings(config) },
        { provide: APPLICANT_LINK_KEY, useValue: config.PII_HASH_KEY },
        CaseStore,
        ApplicantProofBudget,
        CaseCatalogue,
        CaseSubmissionService,
        CaseQueries,
        CaseFollowups,
        IntakeMetrics,
        RongqueService,
      ],
    };
  }
}
