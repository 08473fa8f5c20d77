import { randomUUID } from 'node:crypto';
import { AssignerProtocol } from 'kafkajs';
import { testKafka } from '@tongban/testing';
import type { Client } from 'pg';

/** SQL: outbox row `o` has left the relay's queue (outbox_pending), i.e. Kafka acknowledged it. */
export const OUTBOX_ROW_PUBLISHED = 'NOT EXISTS (SELECT 1 FROM outbox_pending p WHERE p.id = o.id)';

interface Found {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
}

/** Every message of `topics` keyed by one of `keys`, read from the beginning up to today's end. */
async function scan(brokers: readonly string[], topics: readonly string[], keys: ReadonlySet<string>) {
  const kafka = testKafka(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const topic of topics)
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}/${partition}`, BigInt(high));
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([position]) => position));
  const found: Found[] = [];
  const consumer = kafka.consumer({ groupId: `tongban-evidence-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    if (remaining.size === 0) resolve();
    void consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const key = message.key?.toString() ?? '';
        if (keys.has(key)) found.push({ topic, partition, offset: message.offset, key });
        if (BigInt(message.offset) + 1n >= (ends.get(`${topic}/${partition}`) ?? 0n)) {
          remaining.delete(`${topic}/${partition}`);
          if (remaining.size === 0) resolve();
        }
      },
    });
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 60000))]);
  await consumer.disconnect();
  return found;
}

/** One hop of the pipeline: the outbox that announces `topic` and the service that consumes it. */
export interface Hop {
  readonly topic: string;
  readonly producer: Client;
  readonly consumer: Client;
  readonly consumerGroupId: string;
}

/** The consumer group's state, each member's assigned partitions of `topic`, and its commits. */
async function groupEvidence(brokers: readonly string[], groupId: string, topic: string) {
  const admin = testKafka(brokers).admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const { groups } = await admin.describeGroups([groupId]);
    const ends = await admin.fetchTopicOffsets(topic);
    const members = (groups[0]?.members ?? []).map((member) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      const partitions = assignment?.assignment[topic] ?? [];
      return `${member.clientId} [${[...partitions].sort((a, b) => a - b).join(',')}]`;
    });
    return {
      committedAt: new Map(committed?.partitions.map((p) => [p.partition, p.offset]) ?? []),
      summary:
        `${groupId} ${groups[0]?.state ?? '?'}; members on ${topic}: ${members.join('; ') || 'none'}; ` +
        `partitions (committed/end): ${ends
          .sort((a, b) => a.partition - b.partition)
          .map(
            (end) =>
              `p${end.partition} ${committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '?'}/${end.high}`,
          )
          .join(' ')}`,
    };
  } finally {
    await admin.disconnect();
  }
}

/**
 * For cases stuck after `hop.topic` was announced: when the outbox published each event, where it
 * is on Kafka (and in the dead-letter topic), where the consuming group's committed offset stands
 * on that partition, which member owns the partition, and whether the consumer recorded the event.
 * Printed once when the reconciliation fails.
 */
export async function stuckAtHop(options: {
  readonly brokers: readonly string[];
  readonly caseIds: readonly string[];
  readonly hop: Hop;
}): Promise<string> {
  const { hop } = options;
  if (options.caseIds.length === 0) return `${hop.topic}: no stuck case`;
  const { rows: events } = await hop.producer.query<{
    key: string;
    id: string;
    event_id: string;
    created_at: Date;
    published: boolean;
  }>(
    `SELECT o.message_key AS key, o.id::text, o.event_id, o.created_at,
            ${OUTBOX_ROW_PUBLISHED} AS published
       FROM outbox o WHERE o.topic = $1 AND o.message_key = ANY($2)`,
    [hop.topic, options.caseIds],
  );
  const { rows: consumed } = await hop.consumer.query<{ event_id: string; handler: string }>(
    'SELECT event_id, handler FROM processed_events WHERE event_id = ANY($1::uuid[])',
    [events.map((event) => event.event_id)],
  );
  const onKafka = await scan(options.brokers, [hop.topic, `${hop.topic}.dlq`], new Set(options.caseIds));
  const group = await groupEvidence(options.brokers, hop.consumerGroupId, hop.topic);
  const lines = events.map((event) => {
    const copies = onKafka.filter((message) => message.key === event.key);
    const where = copies.map((message) => `${message.topic}/${message.partition}@${message.offset}`);
    const commits = copies
      .filter((message) => message.topic === hop.topic)
      .map(
        (message) => `committed ${group.committedAt.get(message.partition) ?? '?'} on p${message.partition}`,
      );
    const record = consumed.filter((row) => row.event_id === event.event_id).map((row) => row.handler);
    return (
      `${event.key}: outbox #${event.id} event ${event.event_id} created ${event.created_at.toISOString()} ` +
      `${event.published ? 'published' : 'still pending'}; on Kafka: ${where.join(', ') || 'NOT FOUND'}; ` +
      `${commits.join(', ') || 'no commit seen'}; processed_events: ${record.join(', ') || 'none'}`
    );
  });
  return [`${hop.topic}: ${group.summary}`, ...lines].join('\n');
}
