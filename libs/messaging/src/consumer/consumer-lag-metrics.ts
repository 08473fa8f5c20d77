import { Logger } from '@nestjs/common';
import { type Admin, AssignerProtocol } from 'kafkajs';
import { BackgroundReading } from '@tongban/observability';
import { Gauge, type Registry } from 'prom-client';

export interface Lag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/**
 * Consumer lag of the service's group per topic and partition: the partition's end offset minus
 * the group's committed offset, read from the broker with the admin API as scrapes come and reused
 * for `cacheMs`, so frequent scrapes and several gauges cost the broker one round of requests. It
 * is the group's lag, the same from every instance, because commits are the group's.
 */
export class ConsumerLagMetrics {
  private readonly logger = new Logger(ConsumerLagMetrics.name);

  constructor(
    registry: Registry,
    /** The service's one admin connection (KafkaProducerHandle.admin), which closes it. */
    private readonly admin: () => Promise<Admin>,
    private readonly groupId: string,
    cacheMs = 5000,
  ) {
    const reading = new BackgroundReading(() => this.read(), cacheMs);
    const group = groupId;
    new Gauge({
      name: 'tongban_consumer_lag',
      help: 'Messages not yet committed by the consumer group, per topic and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { topic, partition, lag } of await reading.get())
          this.set({ group, topic, partition: String(partition) }, lag);
      },
    });
  }

  private async read(): Promise<readonly Lag[]> {
    try {
      return await readGroupLag(await this.admin(), this.groupId);
    } catch (error) {
      // While the broker is away the lag is unknown: no series rather than stale ones.
      this.logger.warn({ msg: 'cannot read consumer lag', err: error });
      return [];
    }
  }
}

/**
 * The topics the group's current members subscribe to, from the metadata each sent when it joined.
 * A group keeps committed offsets on a topic it no longer reads (after an upgrade drops a
 * subscription, or when a tool committed them for it) until the broker expires them; counting
 * those would report lag that grows with traffic nobody is meant to consume.
 */
export async function subscribedTopics(admin: Admin, groupId: string): Promise<string[]> {
  const { groups } = await admin.describeGroups([groupId]);
  return [
    ...new Set(
      (groups[0]?.members ?? []).flatMap(
        (member) => AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? [],
      ),
    ),
  ].sort();
}

/** The group's lag per partition of each topic it subscribes to: end offset minus committed offset. */
export async function readGroupLag(admin: Admin, groupId: string): Promise<Lag[]> {
  const topics = await subscribedTopics(admin, groupId);
  if (topics.length === 0) return [];
  const committed = await admin.fetchOffsets({ groupId, topics });
  const lags: Lag[] = [];
  for (const { topic, partitions } of committed) {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((end) => [end.partition, end] as const));
    for (const { partition, offset } of partitions) {
      const end = ends.get(partition);
      if (!end) continue;
      // Nothing committed yet: the group reads from the beginning, so all that is kept is ahead.
      const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
      lags.push({ topic, partition, lag: Math.max(0, Number(end.high) - from) });
    }
  }
  return lags;
}
