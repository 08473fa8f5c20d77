import type { KafkaContext } from '@nestjs/microservices';
import type { EventOf, EventType } from '@tongban/contracts';
import type { HandleOutcome, HandlerSpec, HandlerUnit } from './effectively-once-consumer';

export type EventHandler<Type extends EventType = EventType> = (
  event: EventOf<Type>,
  unit: HandlerUnit,
) => Promise<void>;

/** What processes the joined messages of a batch: the effectively-once consumer. */
export interface BatchProcessor {
  processBatch(entries: readonly JoinedSlot[]): Promise<void>;
}

export interface JoinedSlot {
  readonly slot: BatchSlot;
  readonly context: KafkaContext;
  readonly spec: HandlerSpec<EventType>;
  readonly handler: EventHandler;
}

/**
 * One message of a batch on its way through Nest's handler dispatch. The @EventPattern method
 * calls EffectivelyOnceConsumer.handle as it always does; in a batch that call only joins the
 * slot (handler and spec), and the batch server runs all joined messages of the partition together
 * once every message has joined. `outcome` is what the Nest handler returns.
 */
export class BatchSlot {
  joined?: {
    readonly processor: BatchProcessor;
    readonly spec: HandlerSpec<EventType>;
    readonly handler: EventHandler;
  };
  readonly whenJoined: Promise<void>;
  readonly outcome: Promise<HandleOutcome>;
  settled = false;
  private markJoined!: () => void;
  private resolveOutcome!: (outcome: HandleOutcome) => void;
  private rejectOutcome!: (error: unknown) => void;

  constructor() {
    this.whenJoined = new Promise((resolve) => (this.markJoined = resolve));
    this.outcome = new Promise((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    // Settled by the batch server in every case; nobody may be left with an unhandled rejection.
    this.outcome.catch(() => undefined);
  }

  join(
    processor: BatchProcessor,
    spec: HandlerSpec<EventType>,
    handler: EventHandler,
  ): Promise<HandleOutcome> {
    if (this.joined) throw new Error('a Kafka message is handled by one EffectivelyOnceConsumer.handle call');
    this.joined = { processor, spec, handler };
    this.markJoined();
    return this.outcome;
  }

  resolve(outcome: HandleOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveOutcome(outcome);
  }

  reject(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectOutcome(error);
  }
}

// Keyed by the message object Nest puts in the KafkaContext, which the handler's @Ctx() receives.
const slots = new WeakMap<object, BatchSlot>();

export function attachBatchSlot(message: object, slot: BatchSlot): void {
  slots.set(message, slot);
}

export function batchSlotOf(context: KafkaContext): BatchSlot | undefined {
  return slots.get(context.getMessage() as object);
}
