import { Module } from '@nestjs/common';
import { WorkflowModule } from '../workflow/workflow.module';
import { SlaTimerPoller } from './sla-timer-poller.service';

/** 电子监察: the persisted SLA timers, fired by every instance's poller. */
@Module({
  imports: [WorkflowModule],
  providers: [SlaTimerPoller],
})
export class SlaModule {}
