import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * Outbox metrics. Backlog and age are read from Postgres at scrape time, so they are right even
 * when this instance's relay is the standby or is stuck.
 */
export class OutboxMetrics {
  readonly published: Counter;
  readonly failures: Counter;
  readonly publishDelay: Histogram;

  constructor(registry: Registry, dataSource: DataSource) {
    // A scrape collects both gauges at once; they share one query while it is in flight.
    let inFlight: Promise<{ backlog: number; age: number }> | undefined;
    const backlog = () =>
      (inFlight ??= (
        dataSource.query(
          `SELECT count(*)::int AS backlog,
                  COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(o.created_at)), 0)::float8 AS age
             FROM outbox_pending p JOIN outbox o ON o.id = p.id`,
        ) as Promise<{ backlog: number; age: number }[]>
      )
        .then(([row]) => row ?? { backlog: 0, age: 0 })
        .finally(() => {
          inFlight = undefined;
        }));
    new Gauge({
      name: 'tongban_outbox_backlog',
      help: 'Outbox rows committed but not yet published to Kafka',
      registers: [registry],
      async collect() {
        this.set((await backlog()).backlog);
      },
    });
    new Gauge({
      name: 'tongban_outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when the backlog is empty)',
      registers: [registry],
      async collect() {
        this.set((await backlog()).age);
      },
    });
    this.published = new Counter({
      name: 'tongban_outbox_published_total',
      help: 'Outbox rows published to Kafka',
      labelNames: ['topic'],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'tongban_outbox_publish_failures_total',
      help: 'Relay batches that failed to publish and will be retried',
      registers: [registry],
    });
    this.publishDelay = new Histogram({
      name: 'tongban_outbox_publish_delay_seconds',
      help: 'Time from an outbox row being written to its publication',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }
}
