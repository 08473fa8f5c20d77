import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { type EventType, TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { TimelineProjector } from './timeline-projector.service';

const HANDLER = 'intake.timeline';

/**
 * The timeline read model consumes every topic, intake's own included, so "where is my case"
 * shows each stage exactly once, from whichever service it came.
 */
@Controller()
export class TimelineConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly projector: TimelineProjector,
  ) {}

  private handle(context: KafkaContext, type: EventType): Promise<HandleOutcome> {
    return this.consumer.handle(context, { handler: HANDLER, type }, (event, unit) =>
      this.projector.apply(unit.manager, event),
    );
  }

  @EventPattern(TOPICS.caseSubmitted)
  onCaseSubmitted(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseSubmitted);
  }

  @EventPattern(TOPICS.caseSupplemented)
  onCaseSupplemented(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseSupplemented);
  }

  @EventPattern(TOPICS.caseRouted)
  onCaseRouted(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseRouted);
  }

  @EventPattern(TOPICS.caseUnroutable)
  onCaseUnroutable(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseUnroutable);
  }

  @EventPattern(TOPICS.caseSupplementRequested)
  onCaseSupplementRequested(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseSupplementRequested);
  }

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseDecided);
  }

  @EventPattern(TOPICS.caseSla)
  onCaseSla(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseSla);
  }

  @EventPattern(TOPICS.deliveryUpdated)
  onDeliveryUpdated(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.deliveryUpdated);
  }

  @EventPattern(TOPICS.caseRated)
  onCaseRated(@Ctx() context: KafkaContext) {
    return this.handle(context, TOPICS.caseRated);
  }
}
