import { Module } from '@nestjs/common';
import { WorkflowModule } from '../workflow/workflow.module';
import { ApprovalInboxController } from './approval-inbox.controller';
import { ApprovalInbox } from './approval-inbox.service';

/** The routed cases and the applicants' supplements, from Kafka. */
@Module({
  imports: [WorkflowModule],
  controllers: [ApprovalInboxController],
  providers: [ApprovalInbox],
})
export class InboxModule {}
