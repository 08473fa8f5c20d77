import { Logger } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import { context as otelContext, SpanKind, trace } from '@opentelemetry/api';
import { type EventOf, type EventType, EventValidationError, safeParseEventOf } from '@tongban/contracts';
import { runWithTraceContext, scrubPersonalData } from '@tongban/observability';
import type { DataSource } from 'typeorm';
import { backoffDelay, type BackoffPolicy, sleep } from '../backoff';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { claimEvent, claimEvents, type DeliveredEventRef } from '../inbox';
import { AfterCommit, type TransactionUnit, transactionUnit } from '../outbox/transaction-unit';
import { consumerContextOf, stringHeaders } from '../tracing/trace-headers';
import { batchSlotOf, type EventHandler, type JoinedSlot } from './batch-slot';
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
    const slot = batchSlotOf(context);
    if (slot) return slot.join(this, spec, handler as EventHandler);
    return inTraceOf(context, () => this.process(context, spec, handler));
  }

  /**
   * Handles consecutive messages of one partition (BatchKafkaServer): invalid ones are
   * dead-lettered, each run of valid ones is claimed with one statement and handled in one
   * transaction, each event by its own handler in its own trace. A failing run is split: the events
   * before the one whose handler failed commit together, that one is retried alone exactly as an
   * event handled alone (and dead-lettered only by its own failures), the rest go on as a run. A
   * failure no handler can be blamed for (the commit) halves the run. An unreachable database
   * retries the whole run. Order within the partition holds throughout.
   */
  async processBatch(entries: readonly JoinedSlot[]): Promise<void> {
    let run: ValidEntry[] = [];
    for (const entry of entries) {
      const started = process.hrtime.bigint();
      const delivery = deliveryOf(entry.context);
      const parsed = parseMessage(entry.spec.type, entry.context.getMessage().value);
      if (parsed.success) {
        run.push({
          ...entry,
          started,
          event: parsed.event,
          delivery: { ...delivery, eventId: parsed.event.eventId },
        });
        continue;
      }
      await this.handleRun(run);
      run = [];
      const now = new Date();
      await this.deadLetter(entry.context, entry.spec, delivery, {
        error: parsed.error,
        first: now,
        last: now,
        attempts: 1,
      });
      this.metrics?.deadLetters.inc({ topic: delivery.topic, reason: 'invalid' });
      this.settle(entry, started, 'dead_lettered');
    }
    await this.handleRun(run);
  }

  private async handleRun(run: readonly ValidEntry[]): Promise<void> {
    const [first, ...rest] = run;
    if (!first) return;
    if (rest.length === 0) {
      const entry = first;
      const outcome = await inTraceOf(entry.context, () =>
        this.attempt(entry.context, entry.spec, entry.delivery, entry.event, entry.handler),
      );
      this.settle(entry, entry.started, outcome, entry.event);
      return;
    }
    for (let attempt = 1; ; attempt += 1) {
      let failure: RunFailure;
      try {
        for (const [entry, outcome] of await this.transactRun(run))
          this.settle(entry, entry.started, outcome, entry.event);
        return;
      } catch (error) {
        if (!(error instanceof RunFailure)) throw error;
        failure = error;
      }
      const { cause, index } = failure;
      if (this.stopping.signal.aborted) throw cause;
      const permanent = cause instanceof PermanentEventError || cause instanceof EventValidationError;
      if (!permanent && isTransientInfrastructureError(cause)) {
        const delayMs = backoffDelay(this.policy.backoff, attempt);
        this.metrics?.retries.inc({ topic: first.delivery.topic, handler: first.spec.handler });
        this.logger.warn({
          msg: 'event batch failed on the database, retrying',
          ...first.delivery,
          events: run.length,
          attempt,
          delayMs,
          err: cause,
        });
        await sleep(delayMs, this.stopping.signal);
        continue;
      }
      this.logger.warn({
        msg: 'event batch failed, splitting it',
        ...first.delivery,
        events: run.length,
        failedAt: index,
        err: cause,
      });
      if (index === undefined) {
        const half = Math.ceil(run.length / 2);
        await this.handleRun(run.slice(0, half));
        await this.handleRun(run.slice(half));
      } else {
        await this.handleRun(run.slice(0, index));
        await this.handleRun(run.slice(index, index + 1));
        await this.handleRun(run.slice(index + 1));
      }
      return;
    }
  }

  /** One transaction for the run: one claim statement, then each claimed event's handler in order. */
  private async transactRun(run: readonly ValidEntry[]): Promise<[ValidEntry, HandleOutcome][]> {
    const afterCommit = new AfterCommit();
    let current: number | undefined;
    let claimed: boolean[];
    try {
      claimed = await this.dataSource.transaction(async (manager) => {
        const claims = await claimEvents(
          manager,
          run.map((entry) => ({ handler: entry.spec.handler, delivery: entry.delivery })),
        );
        for (const [index, entry] of run.entries()) {
          if (!claims[index]) continue;
          current = index;
          const unit: HandlerUnit = {
            ...transactionUnit(manager, afterCommit),
            attempt: 1,
            delivery: entry.delivery,
          };
          await inTraceOf(entry.context, () => entry.handler(entry.event, unit));
        }
        current = undefined;
        return claims;
      });
    } catch (error) {
      // After a failed statement the transaction refuses everything: the next handler's error says
      // nothing about that handler's event.
      throw new RunFailure(error, sqlStateOf(error) === IN_FAILED_TRANSACTION ? undefined : current);
    }
    for (const [index, entry] of run.entries())
      if (claimed[index]) await this.hooks.afterCommit?.(entry.spec.handler, entry.delivery);
    afterCommit.run();
    return run.map((entry, index) => [entry, claimed[index] ? 'processed' : 'duplicate']);
  }

  private settle(
    entry: JoinedSlot,
    started: bigint,
    outcome: HandleOutcome,
    event?: EventOf<EventType>,
  ): void {
    const topic = entry.context.getTopic();
    this.metrics?.handled.inc({ topic, handler: entry.spec.handler, outcome });
    this.metrics?.duration.observe(
      { topic, handler: entry.spec.handler },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    if (event) this.observeAge(topic, entry.spec.handler, event);
    entry.slot.resolve(outcome);
  }

  private observeAge(topic: string, handler: string, event: EventOf<EventType>): void {
    this.metrics?.age.observe({ topic, handler }, (Date.now() - Date.parse(event.occurredAt)) / 1000);
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
        this.observeAge(delivery.topic, spec.handler, parsed.event);
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

interface ValidEntry extends JoinedSlot {
  readonly started: bigint;
  readonly event: EventOf<EventType>;
  readonly delivery: DeliveredEventRef;
}

/** A run's transaction failed; `index` is the entry whose handler failed, when one can be blamed. */
class RunFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly index: number | undefined,
  ) {
    super('event batch failed', { cause });
  }
}

const IN_FAILED_TRANSACTION = '25P02';

function sqlStateOf(error: unknown): string | undefined {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const found = typeof code === 'string' ? code : driverError?.code;
  return typeof found === 'string' ? found : undefined;
}

/** Runs `work` in the trace the message carries, for its logs, spans and outbox rows. */
function inTraceOf<Result>(context: KafkaContext, work: () => Promise<Result>): Promise<Result> {
  const headers = stringHeaders(context.getMessage().headers as Record<string, unknown>);
  // kafkajs's instrumentation makes a span per message only under eachMessage; batches need
  // their own, or a case's trace loses the hop from the message to its handler's queries.
  return otelContext.with(consumerContextOf(headers), () =>
    tracer.startActiveSpan(
      `process ${context.getTopic()}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': context.getTopic() },
      },
      (span) => runWithTraceContext(headers['traceparent'], work).finally(() => span.end()),
    ),
  );
}

const tracer = trace.getTracer('@tongban/messaging');

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
