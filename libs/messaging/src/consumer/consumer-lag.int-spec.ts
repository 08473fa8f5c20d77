import { randomUUID } from 'node:crypto';
import { connectTestProducer, createTestTopic, expectEventually, testKafka } from '@tongban/testing';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { readGroupLag, subscribedTopics } from './consumer-lag-metrics';

/**
 * The lag reported for a group counts the topics its members read and nothing else: a group that
 * once committed offsets on another topic (dropped from its subscriptions, or committed for it by a
 * tool) must not show that topic's traffic as lag.
 */
describe('consumer lag on a real broker', () => {
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  let read: string;
  let dropped: string;
  const groupId = `tongban-lag-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    read = await createTestTopic('lag-read', 2);
    dropped = await createTestTopic('lag-dropped', 2);
    admin = testKafka().admin();
    await admin.connect();
    producer = await connectTestProducer();
    // The group's stale offsets on the dropped topic, from before it stopped reading it.
    await admin.setOffsets({
      groupId,
      topic: dropped,
      partitions: [
        { partition: 0, offset: '0' },
        { partition: 1, offset: '0' },
      ],
    });
    consumer = testKafka().consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic: read, fromBeginning: true });
    // Joins and commits nothing: every message on the topic it reads counts as lag.
    await consumer.run({ autoCommit: false, eachMessage: async () => consumer.pause([{ topic: read }]) });
  }, 60000);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('names the topics the members subscribe to', async () => {
    await expectEventually(async () => expect(await subscribedTopics(admin, groupId)).toEqual([read]), {
      timeoutMs: 30000,
      intervalMs: 500,
    });
  });

  it('counts the lag of the topic read and ignores traffic on the dropped one', async () => {
    await producer.send({
      topic: read,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'c', value: '3' },
      ],
    });
    await producer.send({
      topic: dropped,
      messages: Array.from({ length: 5 }, (_, n) => ({ key: `k${n}`, value: 'x' })),
    });
    await expectEventually(
      async () => {
        const lags = await readGroupLag(admin, groupId);
        expect(lags.every((lag) => lag.topic === read)).toBe(true);
        expect(lags.reduce((total, lag) => total + lag.lag, 0)).toBe(3);
      },
      { timeoutMs: 30000, intervalMs: 500 },
    );
  });

  it('reports nothing for a group without members', async () => {
    expect(await readGroupLag(admin, `tongban-lag-test-nobody-${randomUUID().slice(0, 8)}`)).toEqual([]);
  });
});
