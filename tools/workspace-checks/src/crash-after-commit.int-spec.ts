import { existsSync } from 'node:fs';
import { devAuthEnv, devAuthKeys } from '@tongban/auth';
import { TOPICS } from '@tongban/contracts';
import {
  connectTestProducer,
  createTestDatabase,
  expectEventually,
  sampleEvent,
  startGroupAtEnd,
  testEnvironment,
  type TestDatabase,
} from '@tongban/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { runNode } from '@tongban/testing';
import { fromRoot } from './workspace-root';

const MAIN = 'dist/services/routing/src/main.js';
const MIGRATE = 'dist/services/routing/src/database/migrate.js';
const HANDLER = 'routing.case-submitted';

interface Injected {
  eventId: string;
  partition: number;
  offset: string;
}

/** The event the process died on, as its last log line reports it. */
function injectedFault(output: string): Injected {
  const line = output.split('\n').find((text) => text.includes('fault injection: killing the process'));
  if (!line) throw new Error(`the process did not report the injected fault:\n${output}`);
  return JSON.parse(line) as Injected;
}

describe('a consumer killed between its DB commit and its offset commit', () => {
  const stack = testEnvironment();
  let database: TestDatabase;
  let db: Client;
  let env: Record<string, string>;
  const groupId = `tongban-routing-crash-${Date.now()}`;

  async function committedOffset(partition: number): Promise<bigint> {
    const admin = new Kafka({ brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId, topics: [TOPICS.caseSubmitted] });
      return BigInt(topic?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
    } finally {
      await admin.disconnect();
    }
  }

  async function processedRows(eventId: string): Promise<number> {
    const result = await db.query('SELECT 1 FROM processed_events WHERE handler = $1 AND event_id = $2', [
      HANDLER,
      eventId,
    ]);
    return result.rowCount ?? 0;
  }

  beforeAll(async () => {
    if (!existsSync(fromRoot(MAIN)))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    database = await createTestDatabase(stack.postgresUrl, 'crash');
    env = {
      ...devAuthEnv(await devAuthKeys()),
      DATABASE_URL: database.url,
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      REDIS_URL: stack.redisUrl,
      KAFKA_GROUP_ID: groupId,
      PORT: '29112',
      METRICS_PORT: '29116',
      LOG_LEVEL: 'debug',
    };
    expect((await runNode(MIGRATE, env).exited).code).toBe(0);
    db = new Client({ connectionString: database.url });
    await db.connect();
    await startGroupAtEnd(groupId, [TOPICS.caseSubmitted]);
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('loses no event and repeats no effect after a restart', async () => {
    const producer = await connectTestProducer();
    const event = sampleEvent(TOPICS.caseSubmitted);
    try {
      await producer.send({
        topic: TOPICS.caseSubmitted,
        acks: -1,
        messages: [{ key: event.caseId, value: JSON.stringify(event) }],
      });

      // The group starts at the end of the topic, so the victim is this event.
      const crashing = runNode(MAIN, { ...env, FAULT_CRASH_AFTER_COMMIT: HANDLER });
      const crashed = await crashing.exited;
      expect(crashed.signal).toBe('SIGKILL');
      const victim = injectedFault(crashed.output);
      expect(await processedRows(victim.eventId)).toBe(1);
      expect(await committedOffset(victim.partition)).toBeLessThanOrEqual(BigInt(victim.offset));

      const restarted = runNode(MAIN, env);
      try {
        await expectEventually(
          async () => expect(await committedOffset(victim.partition)).toBeGreaterThan(BigInt(victim.offset)),
          { timeoutMs: 60000, intervalMs: 250 },
        );
        await expectEventually(async () => expect(await processedRows(event.eventId)).toBe(1), {
          timeoutMs: 60000,
          intervalMs: 250,
        });
        expect(await processedRows(victim.eventId)).toBe(1);
        const skipped = restarted
          .output()
          .split('\n')
          .filter((line) => line.includes('redelivered event skipped') && line.includes(victim.eventId));
        expect(skipped).toHaveLength(1);
      } finally {
        restarted.child.kill('SIGTERM');
        await restarted.exited;
      }
    } finally {
      await producer.disconnect();
    }
  }, 180000);
});
