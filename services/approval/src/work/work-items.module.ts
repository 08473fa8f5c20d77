import { Module } from '@nestjs/common';
import { WorkflowModule } from '../workflow/workflow.module';
import { ReviewerActions } from './reviewer-actions.service';
import { WorkItemQueries } from './work-item-queries.service';
import { WorkItemsController } from './work-items.controller';

/** Department work queues and the reviewers' actions on them. */
@Module({
  imports: [WorkflowModule],
  controllers: [WorkItemsController],
  providers: [WorkItemQueries, ReviewerActions],
})
export class WorkItemsModule {}
