import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { type EventType, TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { TimelineProjector } from './timeline-projector.service';

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

  // Each topic carries the one event type of the same name.
  @EventPattern(Object.values(TOPICS))
  onEvent(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'intake.timeline', type: context.getTopic() as EventType },
      (event, unit) => this.projector.apply(unit.manager, event),
    );
  }
}
