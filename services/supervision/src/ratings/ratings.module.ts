import { type DynamicModule, Module } from '@nestjs/common';
import { CaseEventsConsumer } from '../cases/case-events.consumer';
import { CasesModule } from '../cases/cases.module';
import { RECTIFICATION_POLICY, type SupervisionConfig } from '../config/supervision-config';
import { SupervisionMetrics } from '../metrics/supervision-metrics';
import { RectificationService } from '../rectifications/rectification.service';
import { RectificationsController } from '../rectifications/rectifications.controller';
import { ApplicantProofBudget } from './applicant-proof-budget';
import { IntakeRatingsConsumer } from './intake-ratings.consumer';
import { RatingService } from './rating.service';
import { RatingStore } from './rating-store';
import { RatingsController } from './ratings.controller';

/** 好差评 and its closed loop: ratings per stage, rectifications, feedback, appeals. */
@Module({})
export class RatingsModule {
  static forRoot(config: SupervisionConfig): DynamicModule {
    return {
      module: RatingsModule,
      imports: [CasesModule],
      controllers: [RatingsController, RectificationsController, IntakeRatingsConsumer, CaseEventsConsumer],
      providers: [
        { provide: RECTIFICATION_POLICY, useValue: { workingDays: config.RECTIFICATION_WORKING_DAYS } },
        ApplicantProofBudget,
        RatingService,
        RatingStore,
        RectificationService,
        SupervisionMetrics,
      ],
    };
  }
}
