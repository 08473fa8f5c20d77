import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { type EventOf, type EventType, TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { RatingService } from '../ratings/rating.service';
import { CaseFactStore } from './case-fact-store';
import {
  decidedFacts,
  deliveryFacts,
  type FactPatch,
  routedFacts,
  rongqueFacts,
  slaFacts,
  submittedFacts,
  supplementRequestedFacts,
} from './case-facts';

/**
 * The case events → the supervision projection (case_facts), effectively once: the eventId is
 * claimed in the transaction that writes the facts, which also records an intake rating that was
 * waiting for them. Registered by the ratings module, whose service it calls.
 */
@Controller()
export class CaseEventsConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly facts: CaseFactStore,
    private readonly ratings: RatingService,
  ) {}

  private project<Type extends EventType>(
    context: KafkaContext,
    type: Type,
    handler: string,
    patch: (event: EventOf<Type>) => FactPatch | null,
  ): Promise<HandleOutcome> {
    return this.consumer.handle(context, { handler: `supervision.${handler}`, type }, async (event, unit) => {
      const change = patch(event);
      if (!change) return;
      await this.facts.apply(unit.manager, event.caseId, change);
      await this.ratings.settleIntakeRating(unit, event.caseId);
    });
  }

  @EventPattern(TOPICS.caseSubmitted)
  onSubmitted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(context, TOPICS.caseSubmitted, 'case-submitted', submittedFacts);
  }

  @EventPattern(TOPICS.caseRouted)
  onRouted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(context, TOPICS.caseRouted, 'case-routed', routedFacts);
  }

  @EventPattern(TOPICS.caseSla)
  onSla(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(context, TOPICS.caseSla, 'case-sla', slaFacts);
  }

  @EventPattern(TOPICS.caseSupplementRequested)
  onSupplementRequested(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(
      context,
      TOPICS.caseSupplementRequested,
      'supplement-requested',
      supplementRequestedFacts,
    );
  }

  @EventPattern(TOPICS.caseRongque)
  onRongque(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(context, TOPICS.caseRongque, 'case-rongque', rongqueFacts);
  }

  @EventPattern(TOPICS.caseDecided)
  onDecided(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(context, TOPICS.caseDecided, 'case-decided', decidedFacts);
  }

  @EventPattern(TOPICS.deliveryUpdated)
  onDeliveryUpdated(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.project(context, TOPICS.deliveryUpdated, 'delivery-updated', deliveryFacts);
  }
}
