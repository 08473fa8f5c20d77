import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

interface QueueRow {
  readonly status: string;
  readonly kind: string;
  readonly messages: number;
}

/**
 * The notification service's metrics. Labels are bounded (kinds, providers, outcomes, error
 * codes of the provider), never a case, a phone or a message. The queue is read from Postgres at
 * scrape time, so every instance reports the same truth: its age is what the "messages stop
 * leaving" alert watches.
 */
@Injectable()
export class NotificationMetrics {
  readonly queued: Counter<'kind'>;
  readonly sent: Counter<'kind' | 'provider'>;
  readonly failed: Counter<'kind' | 'provider' | 'outcome' | 'code'>;
  readonly delivered: Counter<'kind' | 'provider' | 'result'>;
  readonly deferred: Counter<'reason'>;

  constructor(@Inject(SERVICE_METRICS) registry: Registry, @InjectDataSource() dataSource: DataSource) {
    this.queued = new Counter({
      name: 'tongban_notifications_queued_total',
      help: 'Messages queued, by kind (once per case, kind and round)',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.sent = new Counter({
      name: 'tongban_notifications_sent_total',
      help: 'Messages the provider accepted, by kind and provider',
      labelNames: ['kind', 'provider'],
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'tongban_notifications_failed_total',
      help: 'Failed send attempts, by kind, provider, outcome (retry, rejected, dead_letter) and provider error code',
      labelNames: ['kind', 'provider', 'outcome', 'code'],
      registers: [registry],
    });
    this.delivered = new Counter({
      name: 'tongban_notifications_reports_total',
      help: 'Delivery reports from the provider, by kind, provider and result (delivered, failed)',
      labelNames: ['kind', 'provider', 'result'],
      registers: [registry],
    });
    this.deferred = new Counter({
      name: 'tongban_notifications_deferred_total',
      help: 'Messages held back before sending, by reason (quiet_hours, phone_rate_limit)',
      labelNames: ['reason'],
      registers: [registry],
    });
    new Gauge({
      name: 'tongban_notifications_queue_oldest_seconds',
      help: 'Age of the oldest message due and not sent (0 when none is waiting)',
      registers: [registry],
      async collect() {
        const [row] = (await dataSource.query(
          `SELECT COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(n.due_at)), 0)::float8 AS oldest
             FROM notifications n JOIN case_contacts c ON c.case_id = n.case_id
            WHERE n.status = 'queued' AND n.due_at <= clock_timestamp()`,
        )) as { oldest: number }[];
        this.set(Math.max(row?.oldest ?? 0, 0));
      },
    });
    new Gauge({
      name: 'tongban_notifications',
      help: 'Messages in the store by status and kind',
      labelNames: ['status', 'kind'],
      registers: [registry],
      async collect() {
        const rows = (await dataSource.query(
          `SELECT status, kind, count(*)::int AS messages FROM notifications GROUP BY status, kind`,
        )) as QueueRow[];
        this.reset();
        for (const row of rows) this.set({ status: row.status, kind: row.kind }, row.messages);
      },
    });
  }
}
