import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, type KafkaOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { postgresDataSourceOptions, runMigrationsLocked } from '@tongban/database';
import {
  connectTestProducer,
  createTestDatabase,
  createTestTopic,
  expectEventually,
  sampleEvent,
  testEnvironment,
  type TestDatabase,
} from '@tongban/testing';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { sleep } from '../backoff';
import { kafkaConsumerOptions } from '../kafka-options';
import { BatchKafkaServer } from './batch-kafka-server';
import { MessagingModule } from '../messaging.module';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { EffectivelyOnceConsumer, type HandleOutcome } from './effectively-once-consumer';

// The broker's minimum session timeout; a handler three times as long would lose the partition
// (and have its event redelivered) unless the consumer heartbeats while it runs.
const SESSION_TIMEOUT_MS = 6000;
const HANDLER_MS = 3 * SESSION_TIMEOUT_MS;

describe('a handler that runs longer than the consumer session', () => {
  const env = testEnvironment();
  const groupId = `tongban-test-heartbeat-${randomUUID()}`;
  const outcomes: HandleOutcome[] = [];
  let topic: string;
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    topic = await createTestTopic('heartbeat', 1);
    database = await createTestDatabase(env.postgresUrl, 'heartbeat');
    const options = postgresDataSourceOptions({
      url: database.url,
      poolSize: 2,
      applicationName: 'tongban-test-heartbeat',
      entities: MESSAGING_ENTITIES,
      migrations: MESSAGING_MIGRATIONS,
    });
    const migrator = await new DataSource(options).initialize();
    await runMigrationsLocked(migrator);
    await migrator.destroy();

    @Controller()
    class SlowController {
      constructor(private readonly consumer: EffectivelyOnceConsumer) {}

      @EventPattern(topic)
      async onEvent(@Ctx() context: KafkaContext): Promise<void> {
        outcomes.push(
          await this.consumer.handle(context, { handler: 'test.slow', type: 'case.sla' }, () =>
            sleep(HANDLER_MS),
          ),
        );
      }
    }

    @Module({
      imports: [
        TypeOrmModule.forRoot(options),
        MessagingModule.forRoot({
          brokers: env.kafkaBrokers,
          clientId: 'tongban-test-heartbeat',
          groupId,
          relay: { enabled: false },
          consumer: { heartbeatIntervalMs: 1000 },
        }),
      ],
      controllers: [SlowController],
    })
    class TestModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    const base = kafkaConsumerOptions({
      brokers: env.kafkaBrokers,
      clientId: 'tongban-test-heartbeat',
      groupId,
    });
    const consumerOptions: KafkaOptions = {
      ...base,
      options: {
        ...base.options,
        consumer: {
          ...base.options?.consumer,
          groupId,
          sessionTimeout: SESSION_TIMEOUT_MS,
          heartbeatInterval: 1000,
        },
      },
    };
    app.connectMicroservice({ strategy: new BatchKafkaServer(consumerOptions.options ?? {}) });
    await app.init();
    await app.startAllMicroservices();
  }, 60000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it(
    'keeps the partition: the event is handled once and its offset is committed',
    async () => {
      const producer = await connectTestProducer();
      const event = sampleEvent('case.sla');
      const [sent] = await producer.send({
        topic,
        acks: -1,
        messages: [{ key: event.caseId, value: JSON.stringify(event) }],
      });
      await producer.disconnect();

      const admin = new Kafka({ brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await expectEventually(
          async () => {
            const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
            expect(offsets?.partitions[0]?.offset).toBe(String(BigInt(sent!.baseOffset!) + 1n));
          },
          { timeoutMs: HANDLER_MS + 20000, intervalMs: 500 },
        );
      } finally {
        await admin.disconnect();
      }
      expect(outcomes).toEqual(['processed']);
    },
    HANDLER_MS + 40000,
  );
});
