import { Logger } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';

interface Lag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

/**
 * Consumer lag of the service's group per topic and partition: the partition's end offset minus
 * the group's committed offset, read from the broker with the admin API at scrape time and reused
 * for `cacheMs`, so frequent scrapes and several gauges cost the broker one round of requests. It
 * is the group's lag, the same from every instance, because commits are the group's.
 */
export class ConsumerLagMetrics {
  private readonly logger = new Logger(ConsumerLagMetrics.name);
  private cached?: { at: number; lags: Promise<readonly Lag[]> };

  constructor(
    registry: Registry,
    /** The service's one admin connection (KafkaProducerHandle.admin), which closes it. */
    private readonly admin: () => Promise<Admin>,
    private readonly groupId: string,
    private readonly cacheMs = 5000,
  ) {
    const lags = () => this.lags();
    const group = groupId;
    new Gauge({
      name: 'tongban_consumer_lag',
      help: 'Messages not yet committed by the consumer group, per topic and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { topic, partition, lag } of await lags())
          this.set({ group, topic, partition: String(partition) }, lag);
      },
    });
  }

  private lags(): Promise<readonly Lag[]> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.lags;
    const lags = this.read().catch((error: unknown) => {
      // A scrape while the broker is away shows no lag series rather than failing the scrape.
      this.logger.warn({ msg: 'cannot read consumer lag', err: error });
      return [];
    });
    this.cached = { at: Date.now(), lags };
    return lags;
  }

  private async read(): Promise<Lag[]> {
    const admin = await this.admin();
    const committed = await admin.fetchOffsets({ groupId: this.groupId });
    const lags: Lag[] = [];
    for (const { topic, partitions } of committed) {
      const ends = new Map(
        (await admin.fetchTopicOffsets(topic)).map((end) => [end.partition, end] as const),
      );
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
}
