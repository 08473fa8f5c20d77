import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { type EventOf, type EventType, TOPICS } from '@tongban/contracts';
import { EffectivelyOnceConsumer, type HandleOutcome } from '@tongban/messaging';
import { Clock } from '@tongban/runtime';
import type { EntityManager } from 'typeorm';
import type { NoticePlan } from './notice-plan';
import { NoticePlanner } from './notice-planner.service';
import { NoticeStore } from './notice-store.service';

/**
 * The events an applicant is told about → the notification store, effectively once: the eventId
 * is claimed in the transaction that queues the messages, and each message is unique per
 * (case, kind, round), so a re-emitted event queues nothing twice either.
 */
@Controller()
export class CaseEventsConsumer {
  constructor(
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly planner: NoticePlanner,
    private readonly store: NoticeStore,
    private readonly clock: Clock,
  ) {}

  private queue<Type extends EventType>(
    context: KafkaContext,
    type: Type,
    handler: string,
    plan: (event: EventOf<Type>, manager: EntityManager) => NoticePlan | Promise<NoticePlan>,
  ): Promise<HandleOutcome> {
    return this.consumer.handle(
      context,
      { handler: `notification.${handler}`, type },
      async (event, unit) => {
        const planned = await plan(event, unit.manager);
        unit.afterCommit(await this.store.apply(unit.manager, event.caseId, planned, this.clock.now()));
      },
    );
  }

  @EventPattern(TOPICS.caseSubmitted)
  onSubmitted(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.queue(context, TOPICS.caseSubmitted, 'case-submitted', (event) =>
      this.planner.submitted(event),
    );
  }

  @EventPattern(TOPICS.caseSupplementRequested)
  onSupplementRequested(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.queue(context, TOPICS.caseSupplementRequested, 'supplement-requested', (event) =>
      this.planner.supplementRequested(event),
    );
  }

  @EventPattern(TOPICS.caseSupplemented)
  onSupplemented(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.queue(context, TOPICS.caseSupplemented, 'case-supplemented', () => ({
      notices: [],
      cancel: ['supplement_reminder'],
    }));
  }

  @EventPattern(TOPICS.caseRongque)
  onRongque(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.queue(context, TOPICS.caseRongque, 'case-rongque', async (event, manager) =>
      this.planner.rongque(event, await this.store.itemCodeOf(manager, event.caseId)),
    );
  }

  @EventPattern(TOPICS.caseDecided)
  onDecided(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.queue(context, TOPICS.caseDecided, 'case-decided', (event) => this.planner.decided(event));
  }

  @EventPattern(TOPICS.deliveryUpdated)
  onDeliveryUpdated(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
    return this.queue(context, TOPICS.deliveryUpdated, 'delivery-updated', (event) =>
      this.planner.deliveryUpdated(event),
    );
  }
}
