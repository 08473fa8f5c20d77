import { type DynamicModule, Module } from '@nestjs/common';
import { createPiiCipher, PiiCipher, type PiiEnv } from '@tongban/pii';
import { CaseCatalogue } from './case-catalogue';
import { CaseFollowups } from './case-followups.service';
import { CaseQueries } from './case-queries.service';
import { CaseSubmissionService } from './case-submission.service';
import { CasesController } from './cases.controller';
import { IntakeMetrics } from './intake-metrics';

@Module({})
export class CasesModule {
  static forRoot(pii: PiiEnv): DynamicModule {
    return {
      module: CasesModule,
      controllers: [CasesController],
      providers: [
        { provide: PiiCipher, useFactory: () => createPiiCipher(pii) },
        CaseCatalogue,
        CaseSubmissionService,
        CaseQueries,
        CaseFollowups,
        IntakeMetrics,
      ],
    };
  }
}
