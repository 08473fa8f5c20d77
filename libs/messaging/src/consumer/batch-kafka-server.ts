import { Logger } from '@nestjs/common';
import { KafkaContext, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { attachBatchSlot, type BatchProcessor, BatchSlot, type JoinedSlot } from './batch-slot';

/** Consecutive joined messages of one processor, handled together. */
interface Run {
  readonly processor: BatchProcessor;
  readonly entries: JoinedSlot[];
  lastOffset: string;
}

interface Dispatched {
  readonly slot: BatchSlot;
  readonly context: KafkaContext;
  readonly offset: string;
  /** The Nest handler's own promise; settles after the slot's outcome, or alone if it never joined. */
  readonly done: Promise<unknown>;
  failure?: { error: unknown };
}

/**
 * Nest's Kafka transport consuming with kafkajs `eachBatch` instead of `eachMessage`. Every
 * message of a fetched partition batch goes through Nest's dispatch to its @EventPattern handler
 * as before; handlers wrapped by EffectivelyOnceConsumer.handle join the batch instead of running
 * alone, and the consumer then handles the joined run in one database transaction (see
 * EffectivelyOnceConsumer.processBatch). The offset is committed once per run, after its commit.
 * A rebalance between runs stops the batch: the rest is fetched again by the partition's next
 * owner, and whatever this one already committed is skipped there by its processed_events claims.
 */
export class BatchKafkaServer extends ServerKafka {
  private readonly batchLogger = new Logger(BatchKafkaServer.name);

  override async bindEvents(consumer: Consumer): Promise<void> {
    const patterns = [...this.messageHandlers.keys()];
    if (patterns.length > 0)
      await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics: patterns });
    await consumer.run({
      ...(this.options.run ?? {}),
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const dispatched: Dispatched[] = [];
    for (const message of payload.batch.messages) dispatched.push(await this.dispatch(payload, message));
    // Every handler either joined its slot or finished without the consumer (no such handler).
    await Promise.all(dispatched.map(({ slot, done }) => Promise.race([slot.whenJoined, done])));
    try {
      let run: Run | undefined;
      for (const entry of dispatched) {
        const joined = entry.slot.joined;
        if (joined && run?.processor === joined.processor) {
          run.entries.push({ slot: entry.slot, context: entry.context, ...joined });
          run.lastOffset = entry.offset;
          continue;
        }
        if (run && !(await this.processRun(payload, run))) return;
        run = undefined;
        if (joined) {
          run = {
            processor: joined.processor,
            entries: [{ slot: entry.slot, context: entry.context, ...joined }],
            lastOffset: entry.offset,
          };
        } else if (entry.failure) {
          throw entry.failure.error;
        } else {
          payload.resolveOffset(entry.offset);
        }
      }
      if (run) await this.processRun(payload, run);
    } finally {
      const stopped = new Error('the batch stopped before this message was handled');
      for (const { slot } of dispatched) slot.reject(stopped);
      await Promise.allSettled(dispatched.map(({ done }) => done));
    }
  }

  /** Runs Nest's dispatch of one message; its handler joins `slot` or handles it alone. */
  private async dispatch(payload: EachBatchPayload, message: KafkaMessage): Promise<Dispatched> {
    const { consumer, producer, parser } = this;
    if (!consumer || !producer || !parser) throw new Error('the Kafka server is not listening');
    const { topic, partition } = payload.batch;
    const raw = parser.parse(Object.assign(message, { topic, partition }));
    const packet = await this.deserializer.deserialize(raw, { channel: topic });
    const context = new KafkaContext([raw, partition, topic, consumer, payload.heartbeat, producer]);
    const slot = new BatchSlot();
    attachBatchSlot(raw, slot);
    const entry: Dispatched = {
      slot,
      context,
      offset: message.offset,
      done: this.handleEvent(packet.pattern, packet, context).catch((error: unknown) => {
        entry.failure = { error };
      }),
    };
    return entry;
  }

  /** Handles a run of joined messages; false when the partition is no longer ours to go on with. */
  private async processRun(payload: EachBatchPayload, run: Run): Promise<boolean> {
    if (!payload.isRunning() || payload.isStale()) return false;
    // A long run (a slow handler, retries with backoff) must not cost the partition.
    const keepAlive = setInterval(() => {
      payload.heartbeat().catch(() => undefined);
    }, this.options.consumer?.heartbeatInterval ?? 3000);
    try {
      await run.processor.processBatch(run.entries);
    } finally {
      clearInterval(keepAlive);
    }
    payload.resolveOffset(run.lastOffset);
    await this.commit(payload, run.lastOffset);
    await payload.heartbeat().catch(() => undefined);
    return true;
  }

  private async commit(payload: EachBatchPayload, offset: string): Promise<void> {
    const { topic, partition } = payload.batch;
    try {
      await this.consumer?.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
    } catch (error) {
      // Lost during a rebalance: the next owner gets these events again and skips them as processed.
      this.batchLogger.warn({
        msg: 'offset commit failed; the batch will be redelivered and skipped',
        topic,
        partition,
        offset,
        err: error,
      });
    }
  }
}
