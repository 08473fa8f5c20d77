import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { InboxRecorder } from '@tongban/messaging';

/**
 * The topics this service consumes. Each delivery is recorded once in the inbox; the domain
 * handlers of the service build on that record.
 */
@Controller()
export class IntakeInboxController {
  constructor(private readonly inbox: InboxRecorder) {}

  @EventPattern(TOPICS.caseRouted)
  onCaseRouted(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('intake.case-routed', event, context);
  }

  @EventPattern(TOPICS.caseUnroutable)
  onCaseUnroutable(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('intake.case-unroutable', event, context);
  }

  @EventPattern(TOPICS.caseSupplementRequested)
  onCaseSupplementRequested(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('intake.case-supplement-requested', event, context);
  }

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('intake.case-decided', event, context);
  }

  @EventPattern(TOPICS.caseSla)
  onCaseSla(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('intake.case-sla', event, context);
  }

  @EventPattern(TOPICS.deliveryUpdated)
  onDeliveryUpdated(@Payload() event: unknown, @Ctx() context: KafkaContext): Promise<boolean> {
    return this.inbox.record('intake.delivery-updated', event, context);
  }
}
