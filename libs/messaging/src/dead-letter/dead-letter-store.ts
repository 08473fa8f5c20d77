import { randomUUID } from 'node:crypto';
import type { KafkaProducerHandle } from '../kafka/kafka-producer';
import { stringHeaders, type MessageHeaders } from '../tracing/trace-headers';
import {
  deadLetterHeaders,
  type DeadLetterInfo,
  originalHeaders,
  parseDeadLetterHeaders,
  REPLAYED_FROM_HEADER,
} from './dead-letter-headers';

export const DLQ_SUFFIX = '.dlq';

const READ_DEADLINE_MS = 20000;

export interface DeadLetter {
  readonly dlqTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: string;
  /** The original value as text; an operator needs to see what failed. */
  readonly value: string;
  readonly info: DeadLetterInfo | undefined;
  readonly headers: MessageHeaders;
}

export interface DeadLetterToWrite {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers: MessageHeaders;
  readonly info: DeadLetterInfo;
}

export interface ReplayResult {
  readonly replayed: { readonly partition: number; readonly offset: string; readonly toTopic: string }[];
}

/**
 * Writes, lists and replays the `<topic>.dlq` topics. Listing reads a topic up to its current end
 * with a throwaway consumer group, which is removed afterwards so it does not linger in the
 * operators' lag dashboards.
 */
export class DeadLetterStore {
  constructor(private readonly producer: KafkaProducerHandle) {}

  async write(letter: DeadLetterToWrite): Promise<void> {
    await (
      await this.producer.get()
    ).send({
      topic: `${letter.info.originalTopic}${DLQ_SUFFIX}`,
      acks: -1,
      messages: [
        {
          key: letter.key,
          value: letter.value,
          headers: { ...letter.headers, ...deadLetterHeaders(letter.info) },
        },
      ],
    });
  }

  /** The most recent `limit` dead letters of a topic, oldest first within that window. */
  async list(dlqTopic: string, limit = 100): Promise<DeadLetter[]> {
    assertDlqTopic(dlqTopic);
    const letters: DeadLetter[] = [];
    await this.readToEnd(dlqTopic, (letter) => {
      letters.push(letter);
      if (letters.length > limit) letters.shift();
      return true;
    });
    return letters.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  }

  /**
   * Sends dead letters back to the topic they failed on, with their original key, value and
   * headers. Consumers de-duplicate by eventId, so replaying a letter twice has one effect.
   */
  async replay(
    dlqTopic: string,
    which: { partition: number; offset: string } | 'all',
  ): Promise<ReplayResult> {
    assertDlqTopic(dlqTopic);
    const chosen: DeadLetter[] = [];
    await this.readToEnd(dlqTopic, (letter) => {
      if (which === 'all' || (letter.partition === which.partition && letter.offset === which.offset)) {
        chosen.push(letter);
      }
      return which === 'all' || chosen.length === 0;
    });
    if (which !== 'all' && chosen.length === 0) {
      throw new DeadLetterNotFoundError(dlqTopic, which.partition, which.offset);
    }
    const replayed: ReplayResult['replayed'] = [];
    for (const letter of chosen) {
      const toTopic = letter.info?.originalTopic ?? dlqTopic.slice(0, -DLQ_SUFFIX.length);
      await (
        await this.producer.get()
      ).send({
        topic: toTopic,
        acks: -1,
        messages: [
          {
            key: letter.key,
            value: letter.value,
            headers: {
              ...originalHeaders(letter.headers),
              [REPLAYED_FROM_HEADER]: `${dlqTopic}/${letter.partition}/${letter.offset}`,
            },
          },
        ],
      });
      replayed.push({ partition: letter.partition, offset: letter.offset, toTopic });
    }
    return { replayed };
  }

  /** Calls `visit` for each message up to the end offsets seen at the start; false stops early. */
  private async readToEnd(topic: string, visit: (letter: DeadLetter) => boolean): Promise<void> {
    const admin = this.producer.kafka.admin();
    await admin.connect();
    const groupId = `tongban-dlq-reader-${randomUUID()}`;
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const pending = new Map(
        ends
          .filter((end) => BigInt(end.high) > BigInt(end.low))
          .map((end) => [end.partition, BigInt(end.high)] as const),
      );
      if (pending.size === 0) return;
      const consumer = this.producer.kafka.consumer({
        groupId,
        maxWaitTimeInMs: 200,
        allowAutoTopicCreation: false,
      });
      await consumer.connect();
      try {
        await new Promise<void>((resolve, reject) => {
          let stopped = false;
          // A partition whose last offsets are never delivered (compaction, transaction markers)
          // must not hang an operator's command: what was read by then is the answer.
          const deadline = setTimeout(() => finish(), READ_DEADLINE_MS);
          const finish = () => {
            clearTimeout(deadline);
            stopped = true;
            resolve();
          };
          consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
          consumer
            .subscribe({ topic, fromBeginning: true })
            .then(() =>
              consumer.run({
                autoCommit: false,
                eachMessage: async ({ partition, message }) => {
                  const end = pending.get(partition);
                  if (stopped || end === undefined) return;
                  if (BigInt(message.offset) < end) {
                    const headers = stringHeaders(message.headers);
                    const keepGoing = visit({
                      dlqTopic: topic,
                      partition,
                      offset: message.offset,
                      key: message.key?.toString('utf8') ?? null,
                      timestamp: new Date(Number(message.timestamp)).toISOString(),
                      value: message.value?.toString('utf8') ?? '',
                      info: parseDeadLetterHeaders(headers),
                      headers,
                    });
                    if (!keepGoing) return finish();
                  }
                  if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
                  if (pending.size === 0) finish();
                },
              }),
            )
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
      }
      await admin.deleteGroups([groupId]).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}

export class DeadLetterNotFoundError extends Error {
  constructor(topic: string, partition: number, offset: string) {
    super(`no dead letter at ${topic} partition ${partition} offset ${offset}`);
    this.name = 'DeadLetterNotFoundError';
  }
}

function assertDlqTopic(topic: string): void {
  if (!topic.endsWith(DLQ_SUFFIX))
    throw new Error(`"${topic}" is not a dead-letter topic (must end in ${DLQ_SUFFIX})`);
}
