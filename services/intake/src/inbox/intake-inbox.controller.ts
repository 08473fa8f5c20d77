import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome, recordOnly } from '@tongban/messaging';

/**
 * The topics this service consumes, each through the effectively-once consumer. Until the
 * service's domain handlers exist, handling an event only records it as processed.
 */
@Controller()
export class IntakeInboxController {
  constructor(private readonly consumer: EffectivelyOnceConsumer) {}

  @EventPattern(TOPICS.caseRouted)
  onCaseRouted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'intake.case-routed', type: TOPICS.caseRouted },
      recordOnly,
    );
  }

  @EventPattern(TOPICS.caseUnroutable)
  onCaseUnroutable(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'intake.case-unroutable', type: TOPICS.caseUnroutable },
      recordOnly,
    );
  }

  @EventPattern(TOPICS.caseSupplementRequested)
  onCaseSupplementRequested(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'intake.case-supplement-requested', type: TOPICS.caseSupplementRequested },
      recordOnly,
    );
  }

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'intake.case-decided', type: TOPICS.caseDecided },
      recordOnly,
    );
  }

  @EventPattern(TOPICS.caseSla)
  onCaseSla(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(context, { handler: 'intake.case-sla', type: TOPICS.caseSla }, recordOnly);
  }

  @EventPattern(TOPICS.deliveryUpdated)
  onDeliveryUpdated(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'intake.delivery-updated', type: TOPICS.deliveryUpdated },
      recordOnly,
    );
  }
}
