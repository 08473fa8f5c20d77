import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { PendingMetrics } from '../metrics/approval-metrics';
import { ApprovalInbox } from './approval-inbox.service';

/**
 * The topics approval consumes, each through the effectively-once consumer: the handler's writes
 * and outbox rows commit with the processed-event record. Metrics of an attempt are applied only
 * when the event was processed (a failed attempt rolled back, a redelivery is a no-op).
 */
@Controller()
export class ApprovalInboxController {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly inbox: ApprovalInbox,
  ) {}

  @EventPattern(TOPICS.caseRouted)
  async onCaseRouted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    let pending = new PendingMetrics();
    const outcome = await this.consumer.handle(
      context,
      { handler: 'approval.case-routed', type: TOPICS.caseRouted },
      (event, unit) => {
        pending = new PendingMetrics();
        return this.inbox.onRouted(event, unit, pending);
      },
    );
    if (outcome === 'processed') pending.apply();
    return outcome;
  }

  @EventPattern(TOPICS.caseSupplemented)
  async onCaseSupplemented(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    let pending = new PendingMetrics();
    const outcome = await this.consumer.handle(
      context,
      { handler: 'approval.case-supplemented', type: TOPICS.caseSupplemented },
      (event, unit) => {
        pending = new PendingMetrics();
        return this.inbox.onSupplemented(event, unit, pending);
      },
    );
    if (outcome === 'processed') pending.apply();
    return outcome;
  }
}
