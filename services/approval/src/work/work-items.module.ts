import { Module } from '@nestjs/common';
import { ApprovalInboxController } from '../inbox/approval-inbox.controller';
import { ApprovalInbox } from '../inbox/approval-inbox.service';
import { ApprovalMetrics } from '../metrics/approval-metrics';
import { SlaClocks } from '../sla/sla-clocks';
import { SlaTimerPoller } from '../sla/sla-timer-poller.service';
import { CaseWorkflow } from './case-workflow';
import { ReviewerActions } from './reviewer-actions.service';
import { WorkItemQueries } from './work-item-queries.service';
import { WorkItemsController } from './work-items.controller';

/** Department work queues: the routed-case inbox, the reviewers' API and the SLA timers. */
@Module({
  controllers: [WorkItemsController, ApprovalInboxController],
  providers: [
    ApprovalMetrics,
    SlaClocks,
    CaseWorkflow,
    ApprovalInbox,
    WorkItemQueries,
    ReviewerActions,
    SlaTimerPoller,
  ],
})
export class WorkItemsModule {}
