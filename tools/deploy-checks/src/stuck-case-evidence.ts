import { randomUUID } from 'node:crypto';
import { testKafka } from '@tongban/testing';
import type { Client } from 'pg';

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

/**
 * For cases stuck before routing: where each case.submitted event is on Kafka, where the routing
 * group's committed offset stands on that partition, whether routing recorded the event, and
 * whether it was dead-lettered. Printed once when the reconciliation fails.
 */
export async function stuckBeforeRouting(options: {
  readonly brokers: readonly string[];
  readonly caseIds: readonly string[];
  readonly intake: Client;
  readonly routing: Client;
  readonly routingGroupId: string;
}): Promise<string> {
  const { rows: events } = await options.intake.query<{
    key: string;
    event_id: string;
    published_at: Date | null;
  }>(
    `SELECT message_key AS key, event_id, published_at FROM outbox WHERE topic = 'case.submitted' AND message_key = ANY($1)`,
    [options.caseIds],
  );
  const { rows: consumed } = await options.routing.query<{
    event_id: string;
    handler: string;
    processed_at: Date;
  }>('SELECT event_id, handler, processed_at FROM processed_events WHERE event_id = ANY($1::uuid[])', [
    events.map((event) => event.event_id),
  ]);
  const keys = new Set(options.caseIds);
  const onKafka = await scan(options.brokers, ['case.submitted', 'case.submitted.dlq'], keys);
  const admin = testKafka(options.brokers).admin();
  await admin.connect();
  const [committed] = await admin.fetchOffsets({
    groupId: options.routingGroupId,
    topics: ['case.submitted'],
  });
  const group = await admin.describeGroups([options.routingGroupId]);
  await admin.disconnect();
  const committedAt = new Map(committed?.partitions.map((p) => [p.partition, p.offset]) ?? []);
  const lines = events.map((event) => {
    const copies = onKafka
      .filter((message) => message.key === event.key)
      .map((message) => `${message.topic}/${message.partition}@${message.offset}`);
    const partitions = onKafka.filter((m) => m.key === event.key && m.topic === 'case.submitted');
    const commits = partitions.map(
      (m) => `committed ${committedAt.get(m.partition) ?? '?'} on p${m.partition}`,
    );
    const record = consumed.filter((row) => row.event_id === event.event_id).map((row) => row.handler);
    return (
      `${event.key}: event ${event.event_id} published_at ${event.published_at?.toISOString() ?? 'null'}; ` +
      `on Kafka: ${copies.join(', ') || 'NOT FOUND'}; routing group ${commits.join(', ') || '-'}; ` +
      `routing processed_events: ${record.join(', ') || 'none'}`
    );
  });
  const state = group.groups.map((g) => `${g.groupId} ${g.state}, ${g.members.length} members`).join('; ');
  return [`routing group: ${state}`, ...lines].join('\n');
}
