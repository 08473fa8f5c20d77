import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome, recordOnly } from '@tongban/messaging';

/**
 * The topics this service consumes, each through the effectively-once consumer. Until the
 * service's domain handlers exist, handling an event only records it as processed.
 */
@Controller()
export class DeliveryInboxController {
  constructor(private readonly consumer: EffectivelyOnceConsumer) {}

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'delivery.case-decided', type: TOPICS.caseDecided },
      recordOnly,
    );
  }
}
