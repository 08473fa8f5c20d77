import { Logger } from '@nestjs/common';
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Message } from 'kafkajs';
import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import { backoffDelay, type BackoffPolicy, sleep } from '../backoff';
import type { KafkaProducerHandle } from '../kafka/kafka-producer';
import { injectTraceHeaders, traceContextOf } from '../tracing/trace-headers';
import { OUTBOX_WRITTEN } from './outbox';
import type { OutboxMetrics } from './outbox-metrics';

const tracer = trace.getTracer('@tongban/messaging');

export interface OutboxRelayOptions {
  /** Rows published per Kafka request; a full batch makes the relay go again at once. */
  readonly batchSize: number;
  /**
   * The longest wait between polls when the outbox stays empty. Rows written by this process wake
   * the relay at their commit; rows of other instances are found by the poll, which shortens to
   * `minPollMs` while there is work and doubles up to this when there is none.
   */
  readonly fallbackPollMs: number;
  readonly minPollMs: number;
  readonly backoff: BackoffPolicy;
  /** Outbox rows, once published, are deleted this long after they were written. */
  readonly retentionHours: number;
  /**
   * processed_events rows (the consumers' deduplication record) are deleted after this. It must
   * exceed the topics' retention, or an event still on Kafka could be replayed with no record.
   */
  readonly processedEventsRetentionHours: number;
  readonly pruneIntervalMs: number;
}

export const DEFAULT_RELAY_OPTIONS: OutboxRelayOptions = Object.freeze({
  batchSize: 1000,
  fallbackPollMs: 2000,
  minPollMs: 20,
  backoff: { initialMs: 250, maxMs: 10000 },
  retentionHours: 72,
  processedEventsRetentionHours: 336,
  pruneIntervalMs: 10 * 60 * 1000,
});

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  /** The stored JSON as text: sent as it is, never parsed and serialised again. */
  payload: string;
  headers: Record<string, string>;
  created_at: Date;
}

type DrainResult = { kind: 'published'; count: number } | { kind: 'standby' };

// One relay publishes at a time per database, so rows of one key can never be published by two
// instances out of order; the others wait as standbys. The key is fixed for the whole project.
const RELAY_LOCK_KEY = 7_411_420_061;

/**
 * Publishes committed outbox rows (those in outbox_pending) to Kafka in id order. Woken in-process
 * when a transaction of this process that wrote outbox rows commits, and by an adaptive poll for
 * rows other instances wrote; batches under load, backs off exponentially while Kafka is down
 * (keeping the rows), and is safe to run in every instance of a service. No NOTIFY: it serialises
 * every notifying commit of the PostgreSQL cluster on one lock.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private lastPrune = 0;
  private readonly commits: EntitySubscriberInterface = {
    afterTransactionCommit: ({ queryRunner }) => {
      if (queryRunner.isTransactionActive || !queryRunner.data) return;
      const data = queryRunner.data as Record<string, unknown>;
      if (!data[OUTBOX_WRITTEN]) return;
      data[OUTBOX_WRITTEN] = false;
      this.wake();
    },
    afterTransactionRollback: ({ queryRunner }) => {
      if (!queryRunner.isTransactionActive && queryRunner.data)
        (queryRunner.data as Record<string, unknown>)[OUTBOX_WRITTEN] = false;
    },
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: KafkaProducerHandle,
    private readonly options: OutboxRelayOptions = DEFAULT_RELAY_OPTIONS,
    private readonly metrics?: OutboxMetrics,
  ) {}

  start(): void {
    if (this.loop) return;
    this.dataSource.subscribers.push(this.commits);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.loop;
    this.loop = undefined;
    const index = this.dataSource.subscribers.indexOf(this.commits);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
  }

  /** Publishes one batch if this instance holds the relay lock. Exposed for tests and benches. */
  async drainOnce(): Promise<DrainResult> {
    await this.producer.get();
    return this.dataSource.transaction(async (manager) => {
      // Losing this commit in a crash only publishes its rows again, which consumers skip by
      // event id; not waiting for the WAL flush keeps the relay off the writers' commit path.
      await manager.query(`SET LOCAL synchronous_commit = off`);
      const [lock] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        RELAY_LOCK_KEY,
      ])) as { locked: boolean }[];
      if (!lock?.locked) return { kind: 'standby' } as const;
      const rows = (await manager.query(
        `SELECT o.id, o.topic, o.message_key, o.payload::text AS payload, o.headers, o.created_at
           FROM outbox_pending p JOIN outbox o ON o.id = p.id
          ORDER BY p.id LIMIT $1`,
        [this.options.batchSize],
      )) as OutboxRow[];
      if (rows.length === 0) return { kind: 'published', count: 0 } as const;
      await publish(rows, (topicMessages) => this.producer.sendComplete(topicMessages));
      await manager.query('DELETE FROM outbox_pending WHERE id = ANY($1::bigint[])', [
        rows.map((row) => row.id),
      ]);
      this.record(rows);
      return { kind: 'published', count: rows.length } as const;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    let pollMs = this.options.minPollMs;
    while (!this.stopping.signal.aborted) {
      let result: DrainResult;
      try {
        result = await this.drainOnce();
        if (failures > 0) this.logger.log({ msg: 'outbox relay publishing again', failedAttempts: failures });
        failures = 0;
      } catch (error) {
        failures += 1;
        this.metrics?.failures.inc();
        const delayMs = backoffDelay(this.options.backoff, failures);
        // The first failure and then every tenth: an outage of minutes must not flood the log.
        if (failures === 1 || failures % 10 === 0) {
          this.logger.warn({
            msg: 'outbox relay cannot publish, backing off',
            failures,
            delayMs,
            err: error,
          });
        }
        await sleep(delayMs, this.stopping.signal);
        continue;
      }
      if (result.kind === 'published' && result.count === this.options.batchSize) continue;
      // Work now (or another relay at work) means more is likely soon: poll briskly; an empty
      // outbox lets the poll slow down to the fallback interval.
      pollMs =
        result.kind === 'standby' || result.count > 0
          ? this.options.minPollMs
          : Math.min(this.options.fallbackPollMs, pollMs * 2);
      await this.pruneWhenDue();
      await this.waitForWork(pollMs);
    }
  }

  private record(rows: readonly OutboxRow[]): void {
    if (!this.metrics) return;
    const now = Date.now();
    for (const row of rows) {
      this.metrics.published.inc({ topic: row.topic });
      this.metrics.publishDelay.observe((now - new Date(row.created_at).getTime()) / 1000);
    }
  }

  private async pruneWhenDue(): Promise<void> {
    if (Date.now() - this.lastPrune < this.options.pruneIntervalMs) return;
    this.lastPrune = Date.now();
    try {
      await this.pruneOnce();
    } catch (error) {
      this.logger.warn({ msg: 'outbox prune failed; will retry', err: error });
    }
  }

  /**
   * Deletes published outbox rows and processed_events rows past their retention, at most
   * 10,000 of each per call so a large first prune never holds long locks. Exposed for tests.
   */
  async pruneOnce(): Promise<{ outbox: number; processedEvents: number }> {
    const [, outbox] = (await this.dataSource.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT o.id FROM outbox o
          WHERE o.created_at < clock_timestamp() - make_interval(hours => $1)
            AND NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.id = o.id)
          LIMIT 10000)`,
      [this.options.retentionHours],
    )) as [unknown, number];
    const [, processedEvents] = (await this.dataSource.query(
      `DELETE FROM processed_events WHERE (handler, event_id) IN (
         SELECT handler, event_id FROM processed_events
          WHERE processed_at < clock_timestamp() - make_interval(hours => $1) LIMIT 10000)`,
      [this.options.processedEventsRetentionHours],
    )) as [unknown, number];
    return { outbox, processedEvents };
  }

  private waitForWork(timeoutMs: number): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const wakeUp = () => done();
      this.wakeUp = wakeUp;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wakeUp = undefined;
      this.woken = false;
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}

type TopicMessages = { topic: string; messages: Message[] }[];

/**
 * Sends the rows with one producer span each, a child of the trace the row was written in, so a
 * case's trace goes on through the relay (which runs in no request of its own). The kafkajs
 * instrumentation is suppressed for the batch: it would parent every message on the relay's
 * context and overwrite the traceparent each row carries.
 */
async function publish(
  rows: readonly OutboxRow[],
  send: (batch: TopicMessages) => Promise<unknown>,
): Promise<void> {
  const spans = rows.map((row) =>
    tracer.startSpan(
      `publish ${row.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': row.topic,
        },
      },
      traceContextOf(row.headers),
    ),
  );
  try {
    await context.with(suppressTracing(context.active()), () => send(groupByTopic(rows, spans)));
  } catch (error) {
    for (const span of spans) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

function groupByTopic(rows: readonly OutboxRow[], spans: readonly Span[]): TopicMessages {
  const byTopic = new Map<string, Message[]>();
  for (const [index, row] of rows.entries()) {
    const messages = byTopic.get(row.topic) ?? [];
    const span = spans[index];
    messages.push({
      key: row.message_key,
      value: row.payload,
      headers: {
        ...(span
          ? injectTraceHeaders(trace.setSpan(context.active(), span), { ...row.headers })
          : row.headers),
        'content-type': 'application/json',
      },
    });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
