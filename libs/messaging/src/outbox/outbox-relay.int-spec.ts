import { randomUUID } from 'node:crypto';
import { type EventOf } from '@tongban/contracts';
import { postgresDataSourceOptions, runMigrationsLocked } from '@tongban/database';
import { runWithTraceContext } from '@tongban/observability';
import {
  createTestDatabase,
  expectEventually,
  recordTopics,
  sampleEvent,
  startBroker,
  stopBroker,
  testEnvironment,
  type TestDatabase,
  type TopicRecorder,
} from '@tongban/testing';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { KafkaProducerHandle } from '../kafka/kafka-producer';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { appendToOutbox } from './outbox';
import { OutboxMetrics } from './outbox-metrics';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from './outbox-relay';

const TOPIC = 'case.sla';

/** An SLA event whose usedShare encodes its place in its case's sequence. */
function numbered(caseId: string, sequence: number): EventOf<'case.sla'> {
  return sampleEvent('case.sla', { caseId, payload: { usedShare: sequence } });
}

describe('the outbox relay on the real broker', () => {
  const env = testEnvironment();
  let database: TestDatabase;
  let dataSource: DataSource;
  const relays: { relay: OutboxRelay; producer: KafkaProducerHandle }[] = [];
  let recorder: TopicRecorder | undefined;

  function startRelay(registry = new Registry()) {
    const producer = new KafkaProducerHandle({
      brokers: env.kafkaBrokers,
      clientId: `relay-test-${relays.length}`,
    });
    const relay = new OutboxRelay(
      dataSource,
      producer,
      { ...DEFAULT_RELAY_OPTIONS, batchSize: 50, backoff: { initialMs: 100, maxMs: 1000 } },
      new OutboxMetrics(registry, dataSource),
    );
    relays.push({ relay, producer });
    relay.start();
    return relay;
  }

  async function commitEach(events: readonly EventOf<'case.sla'>[]): Promise<void> {
    for (const event of events) await dataSource.transaction((manager) => appendToOutbox(manager, event));
  }

  function receivedFor(caseIds: ReadonlySet<string>) {
    return (recorder?.messages ?? [])
      .filter((message) => message.key !== null && caseIds.has(message.key))
      .map((message) => ({ ...message, event: JSON.parse(message.value) as EventOf<'case.sla'> }));
  }

  /**
   * Every event on Kafka, each key's events first seen in the order they were written. Returns the
   * copies beyond the first: a batch sent again after an unanswered request may repeat events
   * (the producer is not idempotent, see kafka-producer.ts), which consumers skip by event id.
   */
  function expectEveryEventInKeyOrder(caseIds: ReadonlySet<string>, total: number): number {
    const received = receivedFor(caseIds);
    const seen = new Set<string>();
    const firstCopies = received.filter((message) => {
      if (seen.has(message.event.eventId)) return false;
      seen.add(message.event.eventId);
      return true;
    });
    expect(firstCopies).toHaveLength(total);
    for (const caseId of caseIds) {
      const sequence = firstCopies
        .filter((message) => message.key === caseId)
        .map((message) => message.event.payload.usedShare);
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    }
    return received.length - total;
  }

  /** The metric's current value (prom-client hands out live objects, so read it at once). */
  async function gauge(registry: Registry, name: string): Promise<number> {
    const metric = await registry.getSingleMetric(name)?.get();
    return metric?.values[0]?.value ?? 0;
  }

  beforeAll(async () => {
    database = await createTestDatabase(env.postgresUrl, 'outbox');
    dataSource = await new DataSource(
      postgresDataSourceOptions({
        url: database.url,
        poolSize: 8,
        applicationName: 'tongban-test-outbox',
        entities: MESSAGING_ENTITIES,
        migrations: MESSAGING_MIGRATIONS,
      }),
    ).initialize();
    await runMigrationsLocked(dataSource);
  });

  afterEach(async () => {
    await Promise.all(
      relays.splice(0).map(async ({ relay, producer }) => {
        await relay.stop();
        await producer.close();
      }),
    );
    await recorder?.stop();
    recorder = undefined;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('prunes published outbox rows and processed events past their retention, and nothing else', async () => {
    const old = (hours: number) => `clock_timestamp() - interval '${hours} hours'`;
    const outboxRow = async (published: boolean, createdHoursAgo: number) => {
      const [row] = (await dataSource.query(
        `INSERT INTO outbox (event_id, topic, message_key, payload, created_at)
         VALUES ($1, 'case.sla', $2, '{}'::jsonb, ${old(createdHoursAgo)})
         RETURNING id`,
        [randomUUID(), randomUUID()],
      )) as { id: string }[];
      if (published) await dataSource.query('DELETE FROM outbox_pending WHERE id = $1', [row!.id]);
      return row!.id;
    };
    const processedRow = async (hoursAgo: number) => {
      const eventId = randomUUID();
      await dataSource.query(
        `INSERT INTO processed_events (handler, event_id, topic, partition, kafka_offset, processed_at)
         VALUES ('test.prune', $1, 'case.sla', 0, 0, ${old(hoursAgo)})`,
        [eventId],
      );
      return eventId;
    };
    const publishedLongAgo = await outboxRow(true, 80);
    const publishedRecently = await outboxRow(true, 1);
    const neverPublished = await outboxRow(false, 500); // a backlog row is never pruned, however old
    const consumedLongAgo = await processedRow(337);
    const consumedRecently = await processedRow(335);

    const relay = new OutboxRelay(
      dataSource,
      new KafkaProducerHandle({ brokers: env.kafkaBrokers, clientId: 'relay-test-prune' }),
      { ...DEFAULT_RELAY_OPTIONS, retentionHours: 72, processedEventsRetentionHours: 336 },
    );
    const pruned = await relay.pruneOnce();

    const outboxIds = ((await dataSource.query('SELECT id FROM outbox')) as { id: string }[]).map(
      (r) => r.id,
    );
    const eventIds = (
      (await dataSource.query(`SELECT event_id FROM processed_events WHERE handler = 'test.prune'`)) as {
        event_id: string;
      }[]
    ).map((r) => r.event_id);
    expect(outboxIds).not.toContain(publishedLongAgo);
    expect(outboxIds).toEqual(expect.arrayContaining([publishedRecently, neverPublished]));
    expect(eventIds).toEqual([consumedRecently]);
    expect(eventIds).not.toContain(consumedLongAgo);
    expect(pruned).toEqual({ outbox: 1, processedEvents: 1 });
  });

  it('publishes a committed row right away, with the trace context of the writer', async () => {
    recorder = await recordTopics([TOPIC]);
    startRelay();
    const event = numbered(randomUUID(), 1);
    const traceId = 'a'.repeat(31) + '1';
    await runWithTraceContext(`00-${traceId}-${'b'.repeat(16)}-01`, () =>
      dataSource.transaction((manager) => appendToOutbox(manager, event)),
    );
    await expectEventually(() => expect(receivedFor(new Set([event.caseId]))).toHaveLength(1), {
      timeoutMs: 15000,
    });
    const [message] = receivedFor(new Set([event.caseId]));
    expect(message?.event).toEqual(event);
    expect(message?.headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[\\da-f]{16}-01$`));
    // Published means off the pending queue; the row itself stays readable until its retention.
    const [row] = (await dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.id = o.id) AS pending FROM outbox o
        WHERE o.event_id = $1`,
      [event.eventId],
    )) as { pending: boolean }[];
    expect(row).toEqual({ pending: false });
  });

  it('does not publish rows of a rolled-back transaction', async () => {
    recorder = await recordTopics([TOPIC]);
    startRelay();
    const rolledBack = numbered(randomUUID(), 1);
    const committed = numbered(rolledBack.caseId, 2);
    await expect(
      dataSource.transaction(async (manager) => {
        await appendToOutbox(manager, rolledBack);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await dataSource.transaction((manager) => appendToOutbox(manager, committed));
    await expectEventually(() => expect(receivedFor(new Set([committed.caseId]))).toHaveLength(1), {
      timeoutMs: 15000,
    });
    expect(receivedFor(new Set([committed.caseId]))[0]?.event.eventId).toBe(committed.eventId);
  });

  it('keeps 200 rows while the broker is down and publishes every one, in key order, when it returns', async () => {
    const registry = new Registry();
    startRelay(registry);
    const caseIds = Array.from({ length: 20 }, () => randomUUID());
    const events = Array.from({ length: 10 }, (_, sequence) =>
      caseIds.map((caseId) => numbered(caseId, sequence + 1)),
    ).flat();

    await stopBroker();
    try {
      await commitEach(events);
      await expectEventually(async () => expect(await gauge(registry, 'tongban_outbox_backlog')).toBe(200), {
        timeoutMs: 10000,
      });
      expect(await gauge(registry, 'tongban_outbox_oldest_unpublished_age_seconds')).toBeGreaterThan(0);
      // The relay keeps trying (and failing) while the broker is away, rather than giving up.
      const failuresBefore = await gauge(registry, 'tongban_outbox_publish_failures_total');
      await expectEventually(
        async () =>
          expect(await gauge(registry, 'tongban_outbox_publish_failures_total')).toBeGreaterThan(
            failuresBefore,
          ),
        { timeoutMs: 15000 },
      );
    } finally {
      await startBroker();
    }

    recorder = await recordTopics([TOPIC]);
    const ids = new Set(caseIds);
    await expectEventually(() => expect(receivedFor(ids).length).toBeGreaterThanOrEqual(200), {
      timeoutMs: 60000,
    });
    // A late duplicate would arrive right behind the originals; give it the chance to show up.
    const marker = numbered(randomUUID(), 1);
    await commitEach([marker]);
    await expectEventually(() => expect(receivedFor(new Set([marker.caseId]))).toHaveLength(1), {
      timeoutMs: 15000,
    });
    expectEveryEventInKeyOrder(ids, 200);
    expect(await gauge(registry, 'tongban_outbox_backlog')).toBe(0);
  }, 180000);

  it('lets several relays run at once without reordering or duplicating', async () => {
    recorder = await recordTopics([TOPIC]);
    startRelay();
    startRelay();
    startRelay();
    const caseIds: string[] = Array.from({ length: 6 }, () => randomUUID());
    const events = Array.from({ length: 50 }, (_, sequence) =>
      caseIds.map((caseId) => numbered(caseId, sequence + 1)),
    ).flat();
    // Several writers at once, as several service instances would commit; each case has one
    // writer at a time, as a service serialises the writes of one case.
    await Promise.all(
      [0, 1, 2].map((lane) =>
        commitEach(events.filter((event) => caseIds.indexOf(event.caseId) % 3 === lane)),
      ),
    );
    const ids = new Set(caseIds);
    await expectEventually(() => expect(receivedFor(ids).length).toBeGreaterThanOrEqual(300), {
      timeoutMs: 60000,
    });
    const marker = numbered(randomUUID(), 1);
    await commitEach([marker]);
    await expectEventually(() => expect(receivedFor(new Set([marker.caseId]))).toHaveLength(1), {
      timeoutMs: 15000,
    });
    // The broker answers throughout: nothing is sent again, so nothing is repeated either.
    expect(expectEveryEventInKeyOrder(ids, 300)).toBe(0);
  }, 120000);
});
