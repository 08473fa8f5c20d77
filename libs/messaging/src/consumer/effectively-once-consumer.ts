import { Logger } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import { context as otelContext } from '@opentelemetry/api';
import { type EventOf, type EventType, EventValidationError, safeParseEventOf } from '@tongban/contracts';
import { runWithTraceContext, scrubPersonalData } from '@tongban/observability';
import type { DataSource } from 'typeorm';
import { backoffDelay, type BackoffPolicy, sleep } from '../backoff';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { claimEvent, type DeliveredEventRef } from '../inbox';
import { AfterCommit, type TransactionUnit, transactionUnit } from '../outbox/transaction-unit';
import { consumerContextOf, stringHeaders } from '../tracing/trace-headers';
import type { ConsumerMetrics } from './consumer-metrics';
import { isTransientInfrastructureError } from './transient-error';

export interface ConsumerPolicy {
  /** Failed attempts before an event goes to the dead-letter topic (database outages do not count). */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** Below the session timeout, so a long handler or backoff does not cost the partition. */
  readonly heartbeatIntervalMs: number;
  readonly groupId: string;
}

/** Thrown by a handler for an event that can never succeed: it is dead-lettered without retries. */
export class PermanentEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentEventError';
  }
}

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/**
 * What a handler gets besides the event: the transaction its effects must be written in, and
 * `afterCommit` for work that must follow only a committed, first processing of the event.
 */
export interface HandlerUnit extends TransactionUnit {
  readonly attempt: number;
  readonly delivery: DeliveredEventRef;
}

export interface HandlerSpec<Type extends EventType> {
  /** Stable name of the handler; the processed-events key, so renaming it replays history. */
  readonly handler: string;
  readonly type: Type;
}

export type HandleOutcome = 'processed' | 'duplicate' | 'dead_lettered';

export interface ConsumerHooks {
  /** Runs after the handler's transaction committed and before the offset commit (fault tests). */
  readonly afterCommit?: (handler: string, delivery: DeliveredEventRef) => void | Promise<void>;
}

interface Failure {
  readonly error: unknown;
  readonly first: Date;
  readonly last: Date;
  readonly attempts: number;
}

/**
 * Wraps an @EventPattern handler so that each event has its effect once: the envelope is
 * validated, the eventId is claimed in processed_events in the same transaction as the handler's
 * writes and outbox rows, and the Kafka offset is committed only after that transaction commits.
 * Failures are retried with backoff; after `maxAttempts` failures of the event, or at once for an
 * invalid envelope, the message goes to `<topic>.dlq` and the partition moves on. An unreachable
 * database (isTransientInfrastructureError) is retried until it is back: it says nothing about
 * the event, and dead-lettering valid events during an outage would strand their cases.
 */
export class EffectivelyOnceConsumer {
  private readonly logger = new Logger(EffectivelyOnceConsumer.name);
  private readonly stopping = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLetterStore,
    private readonly policy: ConsumerPolicy,
    private readonly metrics?: ConsumerMetrics,
    private readonly hooks: ConsumerHooks = {},
  ) {}

  /** Stops retrying: events being retried are left uncommitted, to be redelivered after restart. */
  stop(): void {
    this.stopping.abort();
  }

  handle<Type extends EventType>(
    context: KafkaContext,
    spec: HandlerSpec<Type>,
    handler: (event: EventOf<Type>, unit: HandlerUnit) => Promise<void>,
  ): Promise<HandleOutcome> {
    const message = context.getMessage();
    const headers = stringHeaders(message.headers as Record<string, unknown>);
    const run = () => runWithTraceContext(headers['traceparent'], () => this.process(context, spec, handler));
    return otelContext.with(consumerContextOf(headers), run);
  }

  private async process<Type extends EventType>(
    context: KafkaContext,
    spec: HandlerSpec<Type>,
    handler: (event: EventOf<Type>, unit: HandlerUnit) => Promise<void>,
  ): Promise<HandleOutcome> {
    const started = process.hrtime.bigint();
    const delivery = deliveryOf(context);
    const keepAlive = setInterval(() => {
      context
        .getHeartbeat()()
        .catch(() => undefined);
    }, this.policy.heartbeatIntervalMs);
    try {
      const parsed = parseMessage(spec.type, context.getMessage().value);
      let outcome: HandleOutcome;
      if (!parsed.success) {
        const now = new Date();
        await this.deadLetter(context, spec, delivery, {
          error: parsed.error,
          first: now,
          last: now,
          attempts: 1,
        });
        this.metrics?.deadLetters.inc({ topic: delivery.topic, reason: 'invalid' });
        outcome = 'dead_lettered';
      } else {
        outcome = await this.attempt(context, spec, delivery, parsed.event, handler);
        this.metrics?.age.observe(
          { topic: delivery.topic, handler: spec.handler },
          (Date.now() - Date.parse(parsed.event.occurredAt)) / 1000,
        );
      }
      await this.commitOffset(context, delivery);
      this.metrics?.handled.inc({ topic: delivery.topic, handler: spec.handler, outcome });
      this.metrics?.duration.observe(
        { topic: delivery.topic, handler: spec.handler },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      return outcome;
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async attempt<Type extends EventType>(
    context: KafkaContext,
    spec: HandlerSpec<Type>,
    position: KafkaPosition,
    event: EventOf<Type>,
    handler: (event: EventOf<Type>, unit: HandlerUnit) => Promise<void>,
  ): Promise<HandleOutcome> {
    const delivery: DeliveredEventRef = { ...position, eventId: event.eventId };
    let first: Date | undefined;
    // Failures of the event itself; an unreachable database retries without limit instead.
    let failures = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const afterCommit = new AfterCommit();
        const claimed = await this.dataSource.transaction(async (manager) => {
          if (!(await claimEvent(manager, spec.handler, delivery))) return false;
          await handler(event, { ...transactionUnit(manager, afterCommit), attempt, delivery });
          return true;
        });
        await this.hooks.afterCommit?.(spec.handler, delivery);
        afterCommit.run();
        this.logger.debug({
          msg: claimed ? 'event processed' : 'redelivered event skipped',
          handler: spec.handler,
          eventType: event.type,
          caseId: event.caseId,
          ...delivery,
          attempt,
        });
        return claimed ? 'processed' : 'duplicate';
      } catch (error) {
        const now = new Date();
        first ??= now;
        if (this.stopping.signal.aborted) throw error;
        // An event the handler builds that fails its schema fails the same way every time.
        const permanent = error instanceof PermanentEventError || error instanceof EventValidationError;
        const transient = !permanent && isTransientInfrastructureError(error);
        if (!transient) failures += 1;
        if (permanent || failures >= this.policy.maxAttempts) {
          await this.deadLetter(context, spec, delivery, { error, first, last: now, attempts: attempt });
          this.metrics?.deadLetters.inc({ topic: delivery.topic, reason: 'failed' });
          return 'dead_lettered';
        }
        const delayMs = backoffDelay(this.policy.backoff, attempt);
        this.metrics?.retries.inc({ topic: delivery.topic, handler: spec.handler });
        this.logger.warn({
          msg: 'event handler failed, retrying',
          handler: spec.handler,
          ...delivery,
          attempt,
          transient,
          delayMs,
          err: error,
        });
        await sleep(delayMs, this.stopping.signal);
      }
    }
  }

  private async deadLetter(
    context: KafkaContext,
    spec: HandlerSpec<EventType>,
    delivery: KafkaPosition,
    failure: Failure,
  ): Promise<void> {
    const message = context.getMessage();
    const error = failure.error instanceof Error ? failure.error : new Error(String(failure.error));
    await this.deadLetters.write({
      key: message.key as Buffer | string | null,
      value: rawValue(message.value),
      headers: stringHeaders(message.headers as Record<string, unknown>),
      info: {
        errorClass: error.name,
        // Error texts can quote input; the dead-letter topic must hold no personal data either.
        errorMessage: scrubPersonalData(error.message),
        originalTopic: delivery.topic,
        originalPartition: delivery.partition,
        originalOffset: delivery.offset,
        attempts: failure.attempts,
        firstFailureAt: failure.first,
        lastFailureAt: failure.last,
        consumerGroup: this.policy.groupId,
        handler: spec.handler,
      },
    });
    this.logger.error({
      msg: 'event dead-lettered',
      handler: spec.handler,
      ...delivery,
      attempts: failure.attempts,
      errorClass: error.name,
      err: error,
    });
  }

  private async commitOffset(context: KafkaContext, delivery: KafkaPosition): Promise<void> {
    try {
      await context.getConsumer().commitOffsets([
        {
          topic: delivery.topic,
          partition: delivery.partition,
          offset: (BigInt(delivery.offset) + 1n).toString(),
        },
      ]);
    } catch (error) {
      // Lost during a rebalance: the next owner gets the event again and skips it as processed.
      this.logger.warn({
        msg: 'offset commit failed; the event will be redelivered and skipped',
        ...delivery,
        err: error,
      });
    }
  }
}

type KafkaPosition = Omit<DeliveredEventRef, 'eventId'>;

function deliveryOf(context: KafkaContext): KafkaPosition {
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: context.getMessage().offset,
  };
}

function rawValue(value: unknown): Buffer | string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || typeof value === 'string') return value;
  return JSON.stringify(value);
}

function parseMessage<Type extends EventType>(
  type: Type,
  value: unknown,
): { success: true; event: EventOf<Type> } | { success: false; error: Error } {
  let json: unknown = value;
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    try {
      json = JSON.parse(value.toString());
    } catch {
      return { success: false, error: new InvalidEventError('message value is not JSON') };
    }
  }
  const result = safeParseEventOf(type, json);
  return result.success ? result : { success: false, error: result.error };
}

/** A handler whose only effect is the processed-events record, for topics a service only tracks. */
export const recordOnly = (): Promise<void> => Promise.resolve();
