import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, type MicroserviceOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type EventOf } from '@tongban/contracts';
import { postgresDataSourceOptions, runMigrationsLocked } from '@tongban/database';
import { currentTraceId } from '@tongban/observability';
import {
  connectTestProducer,
  createTestDatabase,
  createTestTopic,
  expectEventually,
  sampleEvent,
  testEnvironment,
  type TestDatabase,
} from '@tongban/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { DEAD_LETTER_HEADERS } from '../dead-letter/dead-letter-headers';
import { DeadLetterStore } from '../dead-letter/dead-letter-store';
import { kafkaConsumerStrategy } from '../kafka-options';
import { MESSAGING_METRICS, MessagingModule } from '../messaging.module';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import {
  EffectivelyOnceConsumer,
  type HandleOutcome,
  PermanentEventError,
} from './effectively-once-consumer';

/**
 * A consumer with a non-idempotent effect (a plain insert per handling) so that any double
 * processing shows up as a second row, and a follow-up event written to the outbox.
 */
const state = {
  topic: '',
  poisonEventIds: new Set<string>(),
  permanentCaseIds: new Set<string>(),
  invalidOutputCaseIds: new Set<string>(),
  /** Case id -> attempts left whose database connection the handler kills (pg_terminate_backend). */
  connectionKills: new Map<string, number>(),
  traceIds: new Map<string, string | undefined>(),
  /** Event id -> how long its first handling takes (the handler is still running then). */
  slowEventIds: new Map<string, number>(),
  slowStarted: new Set<string>(),
};

/** Built per test run: the decorator needs the topic, which is created in beforeAll. */
function consumerController(topic: string) {
  @Controller()
  class TestConsumerController {
    constructor(private readonly consumer: EffectivelyOnceConsumer) {}

    @EventPattern(topic)
    onEvent(@Ctx() context: KafkaContext): Promise<HandleOutcome> {
      return this.consumer.handle(
        context,
        { handler: 'test.sla-effect', type: 'case.sla' },
        async (event, unit) => {
          state.traceIds.set(event.eventId, currentTraceId());
          const slowMs = state.slowEventIds.get(event.eventId);
          if (slowMs !== undefined) {
            state.slowEventIds.delete(event.eventId);
            state.slowStarted.add(event.eventId);
            await sleep(slowMs);
          }
          const kills = state.connectionKills.get(event.caseId) ?? 0;
          if (kills > 0) {
            state.connectionKills.set(event.caseId, kills - 1);
            await unit.manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
          }
          if (state.permanentCaseIds.has(event.caseId))
            throw new PermanentEventError('item no longer exists');
          if (state.invalidOutputCaseIds.has(event.caseId)) {
            // A follow-up event that breaks its schema: a bug no retry can fix.
            await unit.publish(sampleEvent('case.sla', { caseId: event.caseId, payload: { usedShare: -1 } }));
          }
          await unit.manager.query('INSERT INTO effects (event_id, case_id) VALUES ($1, $2)', [
            event.eventId,
            event.caseId,
          ]);
          if (state.poisonEventIds.has(event.eventId))
            throw new Error(`cannot handle event ${event.eventId}`);
          await unit.publish(
            sampleEvent('case.sla', { caseId: event.caseId, payload: { kind: 'escalated' } }),
          );
        },
      );
    }
  }
  return TestConsumerController;
}

describe('the effectively-once consumer on the real broker', () => {
  const env = testEnvironment();
  let database: TestDatabase;
  let dataSource: DataSource;
  let producer: Producer;
  let app: INestApplication | undefined;
  const groupId = `tongban-test-eoc-${randomUUID()}`;

  async function startApp(): Promise<INestApplication> {
    @Module({
      imports: [
        TypeOrmModule.forRoot(
          postgresDataSourceOptions({
            url: database.url,
            poolSize: 4,
            applicationName: 'tongban-test-consumer',
            entities: MESSAGING_ENTITIES,
            migrations: MESSAGING_MIGRATIONS,
          }),
        ),
        MessagingModule.forRoot({
          brokers: env.kafkaBrokers,
          clientId: 'tongban-test-consumer',
          groupId,
          relay: { enabled: false },
          consumer: { maxAttempts: 3, backoff: { initialMs: 50, maxMs: 200 } },
        }),
      ],
      controllers: [consumerController(state.topic)],
    })
    class TestModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    const created = moduleRef.createNestApplication({ logger: false });
    created.connectMicroservice<MicroserviceOptions>(
      kafkaConsumerStrategy({ brokers: env.kafkaBrokers, clientId: 'tongban-test-consumer', groupId }),
    );
    await created.init();
    await created.startAllMicroservices();
    return created;
  }

  async function send(event: unknown, headers: Record<string, string> = {}, key?: string): Promise<void> {
    const caseId = (event as { caseId?: string }).caseId ?? key ?? 'no-key';
    await producer.send({
      topic: state.topic,
      acks: -1,
      messages: [
        { key: key ?? caseId, value: typeof event === 'string' ? event : JSON.stringify(event), headers },
      ],
    });
  }

  /** One produce request, so the events reach the consumer together, as one batch. */
  async function sendTogether(events: readonly EventOf<'case.sla'>[]): Promise<void> {
    await producer.send({
      topic: state.topic,
      acks: -1,
      messages: events.map((event) => ({ key: event.caseId, value: JSON.stringify(event) })),
    });
  }

  /** The events of a case whose effect committed, in the order they were handled. */
  async function effectOrder(caseId: string): Promise<string[]> {
    const rows = (await dataSource.query('SELECT event_id FROM effects WHERE case_id = $1 ORDER BY id', [
      caseId,
    ])) as { event_id: string }[];
    return rows.map((row) => row.event_id);
  }

  /** How many transactions claimed the case's events (a claim's processed_at is its transaction's start). */
  async function claimTransactions(eventIds: readonly string[]): Promise<number> {
    const [row] = (await dataSource.query(
      'SELECT count(DISTINCT processed_at)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  async function effectsOf(caseId: string): Promise<number> {
    const [row] = (await dataSource.query('SELECT count(*)::int AS n FROM effects WHERE case_id = $1', [
      caseId,
    ])) as {
      n: number;
    }[];
    return row?.n ?? 0;
  }

  async function outboxOf(caseId: string): Promise<number> {
    const [row] = (await dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [
      caseId,
    ])) as { n: number }[];
    return row?.n ?? 0;
  }

  async function handled(outcome: HandleOutcome): Promise<number> {
    const registry = app!.get<Registry>(MESSAGING_METRICS);
    const metric = await registry.getSingleMetric('tongban_events_handled_total')?.get();
    return (
      metric?.values
        .filter((value) => value.labels['outcome'] === outcome)
        .reduce((sum, v) => sum + v.value, 0) ?? 0
    );
  }

  beforeAll(async () => {
    state.topic = await createTestTopic('consumer', 2);
    database = await createTestDatabase(env.postgresUrl, 'consumer');
    dataSource = await new DataSource(
      postgresDataSourceOptions({
        url: database.url,
        poolSize: 2,
        applicationName: 'tongban-test-consumer-check',
        entities: MESSAGING_ENTITIES,
        migrations: MESSAGING_MIGRATIONS,
      }),
    ).initialize();
    await runMigrationsLocked(dataSource);
    await dataSource.query(
      'CREATE TABLE effects (id bigserial PRIMARY KEY, event_id uuid NOT NULL, case_id uuid NOT NULL)',
    );
    producer = await connectTestProducer();
    app = await startApp();
  }, 60000);

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('has the effect of an event once, with its outbox row, even when the event is delivered twice', async () => {
    const event = sampleEvent('case.sla');
    const marker = sampleEvent('case.sla', { caseId: event.caseId });
    await send(event);
    await send(event);
    await send(marker);
    await expectEventually(async () => expect(await effectsOf(event.caseId)).toBe(2), { timeoutMs: 30000 });
    // Both copies and the marker were consumed in order on the case's partition.
    expect(await effectsOf(event.caseId)).toBe(2);
    expect(await outboxOf(event.caseId)).toBe(2);
  });

  it('continues the trace of the producer', async () => {
    const event = sampleEvent('case.sla');
    const traceId = randomUUID().replace(/-/g, '');
    await send(event, { traceparent: `00-${traceId}-${'c'.repeat(16)}-01` });
    await expectEventually(() => expect(state.traceIds.get(event.eventId)).toBe(traceId), {
      timeoutMs: 30000,
    });
  });

  it('dead-letters an invalid envelope at once, with its headers, and moves on', async () => {
    const caseId = randomUUID();
    const invalid = { ...sampleEvent('case.sla', { caseId }), occurredAt: 'yesterday' };
    const next = sampleEvent('case.sla', { caseId });
    await send(invalid);
    await send('not json at all', {}, caseId);
    await send(next);
    await expectEventually(async () => expect(await effectsOf(caseId)).toBe(1), { timeoutMs: 30000 });
    const letters = (await app!.get(DeadLetterStore).list(`${state.topic}.dlq`)).filter(
      (l) => l.key === caseId,
    );
    expect(letters).toHaveLength(2);
    expect(letters[0]?.info).toMatchObject({
      errorClass: 'EventValidationError',
      originalTopic: state.topic,
      attempts: 1,
      consumerGroup: groupId,
      handler: 'test.sla-effect',
    });
    expect(letters[0]?.info?.errorMessage).toContain('occurredAt');
    expect(letters[1]?.info?.errorClass).toBe('InvalidEventError');
    expect(letters[1]?.value).toBe('not json at all');
  });

  it('retries a failing event, dead-letters it after N attempts, processes the next one, and replays it once fixed', async () => {
    const poison = sampleEvent('case.sla');
    const next = sampleEvent('case.sla', { caseId: poison.caseId });
    state.poisonEventIds.add(poison.eventId);
    await send(poison);
    await send(next);
    // The next event of the same case (same partition) is only handled once the poison moved on.
    await expectEventually(
      async () => {
        const letters = await app!.get(DeadLetterStore).list(`${state.topic}.dlq`);
        expect(letters.filter((letter) => letter.key === poison.caseId)).toHaveLength(1);
      },
      { timeoutMs: 30000 },
    );
    const [letter] = (await app!.get(DeadLetterStore).list(`${state.topic}.dlq`)).filter(
      (l) => l.key === poison.caseId,
    );
    expect(letter?.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.errorClass]: 'Error',
      [DEAD_LETTER_HEADERS.errorMessage]: `cannot handle event ${poison.eventId}`,
      [DEAD_LETTER_HEADERS.originalTopic]: state.topic,
      [DEAD_LETTER_HEADERS.attempts]: '3',
    });
    expect(Number(letter?.headers[DEAD_LETTER_HEADERS.originalPartition])).toBeGreaterThanOrEqual(0);
    expect(letter?.headers[DEAD_LETTER_HEADERS.originalOffset]).toMatch(/^\d+$/);
    expect(letter!.info!.lastFailureAt.getTime()).toBeGreaterThan(letter!.info!.firstFailureAt.getTime());
    expect(JSON.parse(letter!.value)).toEqual(poison);
    // Each failed attempt rolled back its insert; the next event had its effect.
    await expectEventually(async () => expect(await effectsOf(poison.caseId)).toBe(1), { timeoutMs: 30000 });

    state.poisonEventIds.delete(poison.eventId);
    const store = app!.get(DeadLetterStore);
    const replay = await store.replay(`${state.topic}.dlq`, {
      partition: letter!.partition,
      offset: letter!.offset,
    });
    expect(replay.replayed).toEqual([
      { partition: letter!.partition, offset: letter!.offset, toTopic: state.topic },
    ]);
    await expectEventually(async () => expect(await effectsOf(poison.caseId)).toBe(2), { timeoutMs: 30000 });
    // Replaying the same dead letter again has no second effect.
    await store.replay(`${state.topic}.dlq`, { partition: letter!.partition, offset: letter!.offset });
    const marker = sampleEvent('case.sla', { caseId: poison.caseId });
    await send(marker);
    await expectEventually(async () => expect(await effectsOf(poison.caseId)).toBe(3), { timeoutMs: 30000 });
    expect(await effectsOf(poison.caseId)).toBe(3);
  });

  it('handles a batch in one transaction and keeps a case in order across batches', async () => {
    const caseId = randomUUID();
    const rounds = Array.from({ length: 3 }, () =>
      Array.from({ length: 10 }, () => sampleEvent('case.sla', { caseId })),
    );
    for (const round of rounds) await sendTogether(round);
    const sent = rounds.flat().map((event) => event.eventId);
    await expectEventually(async () => expect(await effectOrder(caseId)).toEqual(sent), { timeoutMs: 30000 });
    // Thirty events, far fewer transactions: events fetched together were claimed together.
    expect(await claimTransactions(sent)).toBeLessThan(sent.length);
  });

  it('isolates a poison event inside a batch: only it is dead-lettered, its neighbours take effect in order', async () => {
    const caseId = randomUUID();
    const events = Array.from({ length: 10 }, () => sampleEvent('case.sla', { caseId }));
    const poison = events[4]!;
    state.poisonEventIds.add(poison.eventId);
    await sendTogether(events);
    const neighbours = events.filter((event) => event !== poison).map((event) => event.eventId);
    await expectEventually(async () => expect(await effectOrder(caseId)).toEqual(neighbours), {
      timeoutMs: 30000,
    });
    await expectEventually(
      async () => {
        const letters = (await app!.get(DeadLetterStore).list(`${state.topic}.dlq`)).filter(
          (letter) => letter.key === caseId,
        );
        expect(letters.map((letter) => [JSON.parse(letter.value).eventId, letter.info?.attempts])).toEqual([
          [poison.eventId, 3],
        ]);
      },
      { timeoutMs: 30000 },
    );
  });

  it('retries an event past maxAttempts while its database connection keeps dying, and never dead-letters it', async () => {
    const event = sampleEvent('case.sla');
    // maxAttempts is 3: five real connection losses (57P01 from PostgreSQL) in a row.
    state.connectionKills.set(event.caseId, 5);
    await send(event);

    await expectEventually(async () => expect(await effectsOf(event.caseId)).toBe(1), { timeoutMs: 30000 });
    expect(state.connectionKills.get(event.caseId)).toBe(0);
    expect(await outboxOf(event.caseId)).toBe(1);
    const letters = (await app!.get(DeadLetterStore).list(`${state.topic}.dlq`)).filter(
      (letter) => letter.key === event.caseId,
    );
    expect(letters).toEqual([]);
  });

  it('dead-letters a permanent failure without retrying', async () => {
    const event = sampleEvent('case.sla');
    state.permanentCaseIds.add(event.caseId);
    await send(event);
    await expectEventually(
      async () => {
        const letters = (await app!.get(DeadLetterStore).list(`${state.topic}.dlq`)).filter(
          (l) => l.key === event.caseId,
        );
        expect(letters.map((l) => [l.info?.errorClass, l.info?.attempts])).toEqual([
          ['PermanentEventError', 1],
        ]);
      },
      { timeoutMs: 30000 },
    );
  });

  it('dead-letters an event whose follow-up fails its schema without retrying', async () => {
    const event = sampleEvent('case.sla');
    state.invalidOutputCaseIds.add(event.caseId);
    await send(event);
    await expectEventually(
      async () => {
        const letters = (await app!.get(DeadLetterStore).list(`${state.topic}.dlq`)).filter(
          (l) => l.key === event.caseId,
        );
        expect(letters.map((l) => [l.info?.errorClass, l.info?.attempts])).toEqual([
          ['EventValidationError', 1],
        ]);
      },
      { timeoutMs: 30000 },
    );
    expect(await effectsOf(event.caseId)).toBe(0);
  });

  it('stays effectively once and in order when a rebalance takes the partition in the middle of a batch', async () => {
    const caseId = randomUUID();
    const events = Array.from({ length: 20 }, () => sampleEvent('case.sla', { caseId }));
    const slow = events[3]!;
    state.slowEventIds.set(slow.eventId, 8000);
    await sendTogether(events);
    await expectEventually(() => expect(state.slowStarted.has(slow.eventId)).toBe(true), {
      timeoutMs: 30000,
    });
    // A second member joins the group while the batch's transaction is open: the group rebalances
    // under it, and whichever member gets the partition next gets the batch again.
    const second = await startApp();
    try {
      await expectEventually(
        async () => expect(await effectOrder(caseId)).toEqual(events.map((event) => event.eventId)),
        { timeoutMs: 60000 },
      );
    } finally {
      await second.close();
    }
  }, 90000);

  it('has no second effect when the whole topic is replayed from offset 0', async () => {
    const events: EventOf<'case.sla'>[] = Array.from({ length: 5 }, () => sampleEvent('case.sla'));
    for (const event of events) await send(event);
    await expectEventually(
      async () => {
        for (const event of events) expect(await effectsOf(event.caseId)).toBe(1);
      },
      { timeoutMs: 30000 },
    );
    const [{ n: before }] = (await dataSource.query('SELECT count(*)::int AS n FROM effects')) as {
      n: number;
    }[];
    const [{ n: total }] = (await dataSource.query('SELECT count(*)::int AS n FROM processed_events')) as {
      n: number;
    }[];

    await app!.close();
    const admin = new Kafka({ brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.resetOffsets({ groupId, topic: state.topic, earliest: true });
    await admin.disconnect();
    app = await startApp();

    await expectEventually(async () => expect(await handled('duplicate')).toBeGreaterThanOrEqual(total), {
      timeoutMs: 45000,
    });
    const [{ n: after }] = (await dataSource.query('SELECT count(*)::int AS n FROM effects')) as {
      n: number;
    }[];
    expect(after).toBe(before);
  }, 90000);
});
