import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

interface OverdueRow {
  readonly office: string;
  readonly stage: string;
  readonly rectifications: number;
}

interface StateRow {
  readonly state: string;
  readonly rectifications: number;
}

/**
 * The supervision service's metrics. The rectification gauges are read from PostgreSQL at scrape
 * time, so every instance reports the same truth across restarts: a counter of "opened minus
 * closed" would lie after a restart or on a second instance. Labels are bounded (offices, stages,
 * levels, states), never a case or a person.
 */
@Injectable()
export class SupervisionMetrics {
  readonly ratings: Counter<'stage' | 'level' | 'channel'>;
  readonly feedback: Counter<'outcome'>;

  constructor(@Inject(SERVICE_METRICS) registry: Registry, @InjectDataSource() dataSource: DataSource) {
    this.ratings = new Counter({
      name: 'tongban_supervision_ratings_total',
      help: 'Stage ratings (好差评) recorded by this instance, by stage, level and channel',
      labelNames: ['stage', 'level', 'channel'],
      registers: [registry],
    });
    this.feedback = new Counter({
      name: 'tongban_rating_feedback_total',
      help: 'Rectification outcomes fed back to raters by this instance, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    new Gauge({
      name: 'tongban_rectifications_overdue',
      help: 'Open 差评 rectifications past their working-day limit (not counting those under appeal), by office and stage',
      labelNames: ['office', 'stage'],
      registers: [registry],
      async collect() {
        const rows = (await dataSource.query(
          `SELECT office_id AS office, stage, count(*)::int AS rectifications FROM rectifications
            WHERE closed_at IS NULL AND state <> 'appealed' AND due_at < clock_timestamp()
            GROUP BY office_id, stage`,
        )) as OverdueRow[];
        this.reset();
        for (const row of rows) this.set({ office: row.office, stage: row.stage }, row.rectifications);
      },
    });
    new Gauge({
      name: 'tongban_rectifications',
      help: '差评 rectifications in the store by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const rows = (await dataSource.query(
          `SELECT state, count(*)::int AS rectifications FROM rectifications GROUP BY state`,
        )) as StateRow[];
        this.reset();
        for (const row of rows) this.set({ state: row.state }, row.rectifications);
      },
    });
  }
}
