import { type DynamicModule, Module } from '@nestjs/common';
import { createPiiCipher, PiiCipher } from '@tongban/pii';
import type { ApprovalConfig } from '../config/approval-config';
import { WorkflowModule } from '../workflow/workflow.module';
import { ReviewerActions } from './reviewer-actions.service';
import { WorkItemQueries } from './work-item-queries.service';
import { WorkItemsController } from './work-items.controller';

/** Department work queues and the reviewers' actions on them. */
@Module({})
export class WorkItemsModule {
  static forRoot(config: ApprovalConfig): DynamicModule {
    return {
      module: WorkItemsModule,
      imports: [WorkflowModule],
      controllers: [WorkItemsController],
      providers: [
        { provide: PiiCipher, useFactory: () => createPiiCipher(config) },
        WorkItemQueries,
        ReviewerActions,
      ],
    };
  }
}
