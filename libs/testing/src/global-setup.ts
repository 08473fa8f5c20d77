import { KafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { getContainerRuntimeClient } from 'testcontainers';
import { LOCAL_STACK_HINT } from './test-environment';
import { TOPIC_SPECS } from '@tongban/contracts';
import { Kafka, logLevel } from 'kafkajs';

type Stoppable = { stop(): Promise<unknown> };
const started: Stoppable[] = [];

async function dockerAnswers(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * Jest globalSetup for integration tests: uses the services named by the environment, or starts
 * them with testcontainers when none are named and a Docker engine answers, or stops the run.
 */
export default async function globalSetup(): Promise<void> {
  const configured = Boolean(
    process.env['KAFKA_BROKERS'] || process.env['DATABASE_URL'] || process.env['REDIS_URL'],
  );
  if (configured) return;
  if (!(await dockerAnswers())) {
    throw new Error(
      `No KAFKA_BROKERS/DATABASE_URL/REDIS_URL set and no Docker engine answers: ${LOCAL_STACK_HINT}`,
    );
  }
  const [kafka, postgres, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.2').withKraft().start(),
    new PostgreSqlContainer('postgres:15.14').withUsername('postgres').withPassword('postgres').start(),
    new RedisContainer('redis:7.4.5').start(),
  ]);
  started.push(kafka, postgres, redis);
  process.env['KAFKA_BROKERS'] = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  process.env['DATABASE_URL'] = postgres.getConnectionUri();
  process.env['REDIS_URL'] = redis.getConnectionUrl();
  process.env['TONGBAN_KAFKA_CONTAINER_ID'] = kafka.getId();
  const admin = new Kafka({ brokers: [process.env['KAFKA_BROKERS']], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    topics: TOPIC_SPECS.map((t) => ({ topic: t.name, numPartitions: t.partitions })),
  });
  await admin.disconnect();
  (globalThis as { __tongbanContainers?: Stoppable[] }).__tongbanContainers = started;
}
