import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { ApprovalInbox } from './approval-inbox.service';

/**
 * The topics approval consumes, each through the effectively-once consumer: the handler's writes
 * and outbox rows commit with the processed-event record, and its metrics follow the commit.
 */
@Controller()
export class ApprovalInboxController {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly inbox: ApprovalInbox,
  ) {}

  @EventPattern(TOPICS.caseRouted)
  onCaseRouted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'approval.case-routed', type: TOPICS.caseRouted },
      (event, unit) => this.inbox.onRouted(event, unit),
    );
  }

  @EventPattern(TOPICS.caseSupplemented)
  onCaseSupplemented(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'approval.case-supplemented', type: TOPICS.caseSupplemented },
      (event, unit) => this.inbox.onSupplemented(event, unit),
    );
  }
}
