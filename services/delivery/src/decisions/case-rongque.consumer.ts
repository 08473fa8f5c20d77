import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { ParcelStore } from '../parcels/parcel-store';

/**
 * `case.rongque` → the 容缺 materials a case still misses, which hold its result (rongque-hold.ts).
 * It may come before or after `case.decided`; the newest event by its own time wins.
 */
@Controller()
export class CaseRongqueConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly store: ParcelStore,
  ) {}

  @EventPattern(TOPICS.caseRongque)
  onCaseRongque(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: 'delivery.case-rongque', type: TOPICS.caseRongque },
      (event, unit) =>
        this.store.recordRongque(
          unit.manager,
          event.caseId,
          event.payload.outstanding,
          new Date(event.occurredAt),
        ),
    );
  }
}
