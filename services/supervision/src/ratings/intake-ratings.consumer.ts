import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { RatingService } from './rating.service';

/** Intake's rating (its applicant page, the text message's link) becomes a stage rating here. */
@Controller()
export class IntakeRatingsConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly ratings: RatingService,
  ) {}

  @EventPattern(TOPICS.caseRated)
  onRated(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'supervision.case-rated', type: TOPICS.caseRated },
      (event, unit) => this.ratings.fromIntake(unit, event),
    );
  }
}
