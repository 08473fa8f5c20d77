import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { testEnvironment } from './test-environment';

/** A Kafka client on the test broker, patient enough to ride out a broker restart. */
export function testKafka(brokers: readonly string[] = testEnvironment().kafkaBrokers): Kafka {
  return new Kafka({
    clientId: `tongban-test-${randomUUID().slice(0, 8)}`,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 200 },
  });
}

/** A producer for tests that publish straight to the broker, as another service would. */
export async function connectTestProducer(): Promise<Producer> {
  const producer = testKafka().producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}
