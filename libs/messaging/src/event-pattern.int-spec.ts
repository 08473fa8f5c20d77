import { randomUUID } from 'node:crypto';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, type MicroserviceOptions, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { postgresDataSourceOptions, runMigrationsLocked } from '@tongban/database';
import {
  connectTestProducer,
  createTestDatabase,
  expectEventually,
  testEnvironment,
  type TestDatabase,
} from '@tongban/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { InboxRecorder } from './inbox-recorder.service';
import { kafkaConsumerOptions } from './kafka-options';
import { CreateProcessedEvents1764000000000 } from './migrations/1764000000000-create-processed-events';
import { ProcessedEventEntity } from './processed-event.entity';

const TOPIC = `tongban.test.inbox-${randomUUID().slice(0, 8)}`;
const effects: string[] = [];

@Controller()
class TestInboxController {
  constructor(private readonly inbox: InboxRecorder) {}

  @EventPattern(TOPIC)
  async onEvent(@Payload() event: { eventId: string }, @Ctx() context: KafkaContext): Promise<void> {
    if (await this.inbox.record('test.inbox', event, context)) effects.push(event.eventId);
  }
}

describe('a NestJS @EventPattern handler on the real broker', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let producer: Producer;

  beforeAll(async () => {
    const env = testEnvironment();
    const admin = new Kafka({ brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();

    database = await createTestDatabase(env.postgresUrl, 'inbox');
    const options = postgresDataSourceOptions({
      url: database.url,
      poolSize: 4,
      applicationName: 'tongban-test',
      entities: [ProcessedEventEntity],
      migrations: [CreateProcessedEvents1764000000000],
    });
    const migrator = await new DataSource(options).initialize();
    await runMigrationsLocked(migrator);
    await migrator.destroy();

    @Module({
      imports: [TypeOrmModule.forRoot(options)],
      controllers: [TestInboxController],
      providers: [InboxRecorder],
    })
    class TestModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.connectMicroservice<MicroserviceOptions>(
      kafkaConsumerOptions({
        brokers: env.kafkaBrokers,
        clientId: 'tongban-test',
        groupId: `tongban-test-${randomUUID()}`,
      }),
    );
    await app.startAllMicroservices();
    await app.init();
    producer = await connectTestProducer();
  }, 60000);

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await database?.drop();
  });

  it('consumes an event produced to the broker and records it in the inbox', async () => {
    const eventId = randomUUID();
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: [{ key: 'case-1', value: JSON.stringify({ eventId }) }],
    });
    await expectEventually(() => expect(effects).toContain(eventId), { timeoutMs: 30000 });
    const rows: { topic: string }[] = await app
      .get(DataSource)
      .query('SELECT topic FROM processed_events WHERE event_id = $1', [eventId]);
    expect(rows).toEqual([{ topic: TOPIC }]);
  });

  it('makes a redelivered event a no-op', async () => {
    const eventId = randomUUID();
    const marker = randomUUID();
    const message = { key: 'case-2', value: JSON.stringify({ eventId }) };
    await producer.send({ topic: TOPIC, acks: -1, messages: [message, message] });
    // A later event on the same key (same partition) proves both copies were consumed.
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: [{ key: 'case-2', value: JSON.stringify({ eventId: marker }) }],
    });
    await expectEventually(() => expect(effects).toContain(marker), { timeoutMs: 30000 });
    expect(effects.filter((id) => id === eventId)).toHaveLength(1);
  });
});
