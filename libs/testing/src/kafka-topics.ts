import { expectEventually } from './expect-eventually';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { testKafka } from './kafka-test-client';

/** A unique topic name for one test file, with its dead-letter twin created alongside. */
export async function createTestTopic(label: string, partitions = 3): Promise<string> {
  const topic = `tongban.test.${label}-${randomUUID().slice(0, 8)}`;
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: partitions },
        { topic: `${topic}.dlq`, numPartitions: 1 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export interface TopicRecorder {
  readonly messages: ReceivedMessage[];
  stop(): Promise<void>;
}

function received(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = value.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? '',
    headers,
  };
}

/**
 * Records every message of some topics from their beginning, as an independent consumer group
 * would see them; tests filter by their own keys. Resolves once the group has joined.
 */
export async function recordTopics(topics: readonly string[]): Promise<TopicRecorder> {
  const messages: ReceivedMessage[] = [];
  const consumer = testKafka().consumer({
    groupId: `tongban-test-recorder-${randomUUID()}`,
    maxWaitTimeInMs: 200,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      messages.push(received(topic, partition, message));
    },
  });
  await joined;
  return { messages, stop: () => consumer.disconnect() };
}

/**
 * Commits offsets at the current end of each topic for a consumer group that has none there yet,
 * so a service booted with that group consumes only what is produced from now on instead of every
 * earlier suite's events (the services subscribe from the beginning, as a new group in production
 * must). A group that already has offsets on a topic (a restarted instance) keeps them.
 *
 * One short-lived member joins the group and commits them all at once: kafkajs's
 * `admin.setOffsets` would join the group and wait out a fetch for every topic.
 */
export async function startGroupAtEnd(
  groupId: string,
  topics: readonly string[],
  brokers?: readonly string[],
): Promise<void> {
  const kafka = testKafka(brokers);
  const admin = kafka.admin();
  const ends: { topic: string; partition: number; offset: string }[] = [];
  const fresh: string[] = [];
  await admin.connect();
  try {
    // A group's coordinator may still be moving or loading (NOT_COORDINATOR), which kafkajs's
    // admin does not retry for fetchOffsets; it answers within a second or two.
    const committed = await expectEventually(() => admin.fetchOffsets({ groupId, topics: [...topics] }), {
      timeoutMs: 15000,
      intervalMs: 300,
    });
    for (const { topic, partitions } of committed) {
      if (partitions.some((partition) => partition.offset !== '-1')) continue;
      fresh.push(topic);
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        ends.push({ topic, partition, offset: high });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (fresh.length === 0) return;

  const member = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await member.connect();
  try {
    const joined = new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
    await member.subscribe({ topics: fresh, fromBeginning: false });
    // It never handles a message: it only needs a generation of the group to commit in.
    await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await member.commitOffsets(ends);
  } finally {
    await member.disconnect();
  }
}
