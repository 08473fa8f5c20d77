import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { ParcelCreation } from './parcel-creation.service';

/** `case.decided` → the case's parcel, effectively once (the eventId is claimed in the same transaction). */
@Controller()
export class CaseDecidedConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly creation: ParcelCreation,
  ) {}

  @EventPattern(TOPICS.caseDecided)
  onCaseDecided(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'delivery.case-decided', type: TOPICS.caseDecided },
      (event, unit) => this.creation.onDecided(unit, event),
    );
  }
}
