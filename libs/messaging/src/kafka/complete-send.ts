import {
  type Admin,
  type Message,
  type PartitionMetadata,
  Partitioners,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';

/** Messages per topic, as the relay hands them over. */
export interface TopicBatch {
  readonly topic: string;
  readonly messages: readonly Message[];
}

/** Some partitions of a batch got no acknowledgement although kafkajs reported success. */
export class IncompleteSendError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`Kafka acknowledged no write for ${missing.join(', ')}; the batch is sent again`);
    this.name = 'IncompleteSendError';
  }
}

const keyedPartitioner = Partitioners.DefaultPartitioner();

/**
 * Gives every message its partition explicitly, chosen as kafkajs's default (murmur2 of the key,
 * the Java client's choice), so the caller knows which partitions must acknowledge.
 */
export function assignPartitions(
  batches: readonly TopicBatch[],
  partitionsOf: (topic: string) => readonly PartitionMetadata[],
): TopicBatch[] {
  return batches.map(({ topic, messages }) => {
    const partitionMetadata = [...partitionsOf(topic)];
    return {
      topic,
      messages: messages.map((message) => ({
        ...message,
        partition: keyedPartitioner({ topic, partitionMetadata, message: { ...message } }),
      })),
    };
  });
}

/** `topic/partition` of every partition in `batches` that `acknowledged` does not hold. */
export function unacknowledgedPartitions(
  batches: readonly TopicBatch[],
  acknowledged: readonly RecordMetadata[],
): string[] {
  const acked = new Set(
    acknowledged.filter((record) => record.errorCode === 0).map((r) => `${r.topicName}/${r.partition}`),
  );
  const expected = new Set(
    batches.flatMap(({ topic, messages }) => messages.map((message) => `${topic}/${message.partition}`)),
  );
  return [...expected].filter((position) => !acked.has(position)).sort();
}

/**
 * sendBatch that fails unless every partition written to acknowledged. kafkajs 2.2.4 (no longer
 * maintained) retries a multi-broker batch only on brokers that have not answered yet: when a
 * partition's leader dies and its partitions move to a broker that already acknowledged its own
 * part, those partitions are never retried and sendBatch still resolves. Seen in the three-broker
 * failover test as events marked published that were never on Kafka.
 */
export class CompleteSender {
  private readonly partitions = new Map<string, readonly PartitionMetadata[]>();

  constructor(private readonly admin: () => Promise<Admin>) {}

  async send(producer: Producer, batches: readonly TopicBatch[]): Promise<RecordMetadata[]> {
    try {
      const topics = batches.map(({ topic }) => topic).filter((topic) => !this.partitions.has(topic));
      if (topics.length > 0) {
        const metadata = await (await this.admin()).fetchTopicMetadata({ topics });
        for (const { name, partitions } of metadata.topics) this.partitions.set(name, partitions);
      }
      const assigned = assignPartitions(batches, (topic) => this.partitions.get(topic) ?? []);
      const acknowledged = await producer.sendBatch({
        acks: -1,
        topicMessages: assigned.map(({ topic, messages }) => ({ topic, messages: [...messages] })),
      });
      const missing = unacknowledgedPartitions(assigned, acknowledged);
      if (missing.length > 0) throw new IncompleteSendError(missing);
      return acknowledged;
    } catch (error) {
      // Partition counts can change; read them again before the next attempt.
      this.partitions.clear();
      throw error;
    }
  }
}
