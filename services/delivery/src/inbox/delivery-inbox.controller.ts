import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { InboxRecorder } from '@tongban/messaging';

/**
 * The topics this service consumes. Each delivery is recorded once in the inbox; the domain
 * handlers of the service build on that record.
 */
@Controller()
export class DeliveryInboxController {
  constructor(private readonly inbox: InboxRecorder) {}

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('delivery.case-decided', event, context);
  }
}
