import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { referenceData } from '@tongban/reference-data';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

interface QueueRow {
  department_id: string;
  state: string;
  size: number;
  oldest: number;
}

interface OverdueRow {
  department_id: string;
  overdue: number;
  due_soon: number;
}

/** Every department of the reference data gets a sample, 0 when it has no row, so alerts have a baseline. */
function setPerDepartment(
  gauge: Gauge<'department'>,
  departments: readonly string[],
  rows: readonly OverdueRow[],
  value: (row: OverdueRow) => number,
): void {
  gauge.reset();
  for (const department of departments) gauge.set({ department }, 0);
  for (const row of rows) gauge.set({ department: row.department_id }, value(row));
}

/**
 * Approval's stage metrics. Labels are bounded (departments, outcomes, origins, SLA kinds), never
 * case ids. Queue and overdue gauges are read from Postgres at scrape time, so every instance
 * reports the same truth whichever one did the work.
 */
@Injectable()
export class ApprovalMetrics {
  readonly departmentDecisions: Counter<'department' | 'outcome' | 'origin'>;
  readonly caseDecisions: Counter<'outcome' | 'origin'>;
  readonly timeToDecision: Histogram<'origin' | 'outcome'>;
  readonly slaEvents: Counter<'kind' | 'department'>;
  readonly supplementRequests: Counter<'department'>;

  constructor(@Inject(SERVICE_METRICS) registry: Registry, @InjectDataSource() dataSource: DataSource) {
    // The SLA gauges report every department, 0 when none of its cases is late, so a quiet
    // department is a 0 on the dashboard (not "no data") and the alert's delta starts from 0.
    const departments = referenceData()
      .departments()
      .map((department) => department.id);
    // A scrape collects several gauges at once; they share one round trip while it is in flight.
    let inFlight: Promise<{ queue: QueueRow[]; overdue: OverdueRow[] }> | undefined;
    const snapshot = () =>
      (inFlight ??= Promise.all([
        dataSource.query(
          `SELECT department_id, state, count(*)::int AS size,
                  COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest
             FROM work_items WHERE state IN ('open', 'supplement_requested')
            GROUP BY department_id, state`,
        ) as Promise<QueueRow[]>,
        dataSource.query(
          `SELECT w.department_id,
                  count(DISTINCT w.case_id) FILTER (WHERE c.due_at <= now())::int AS overdue,
                  count(DISTINCT w.case_id) FILTER (WHERE c.due_at > now() AND c.warn_at <= now())::int
                    AS due_soon
             FROM work_items w JOIN approval_cases c ON c.case_id = w.case_id
            WHERE w.state IN ('open', 'supplement_requested') AND c.paused_at IS NULL
              AND (c.due_at <= now() OR c.warn_at <= now())
            GROUP BY w.department_id`,
        ) as Promise<OverdueRow[]>,
      ])
        .then(([queue, overdue]) => ({ queue, overdue }))
        .finally(() => {
          inFlight = undefined;
        }));
    new Gauge({
      name: 'tongban_approval_queue_size',
      help: 'Work items waiting in a department queue, by state (open, supplement_requested)',
      labelNames: ['department', 'state'],
      registers: [registry],
      async collect() {
        const { queue } = await snapshot();
        this.reset();
        for (const row of queue) this.set({ department: row.department_id, state: row.state }, row.size);
      },
    });
    new Gauge({
      name: 'tongban_approval_queue_oldest_age_seconds',
      help: 'Age of the oldest work item still waiting in a department queue',
      labelNames: ['department'],
      registers: [registry],
      async collect() {
        const { queue } = await snapshot();
        this.reset();
        const oldest = new Map<string, number>();
        for (const row of queue)
          oldest.set(row.department_id, Math.max(oldest.get(row.department_id) ?? 0, row.oldest));
        for (const [department, age] of oldest) this.set({ department }, age);
      },
    });
    new Gauge({
      name: 'tongban_sla_overdue_cases',
      help: 'Undecided cases past their statutory due time (clock running), by department',
      labelNames: ['department'],
      registers: [registry],
      async collect() {
        setPerDepartment(this, departments, (await snapshot()).overdue, (row) => row.overdue);
      },
    });
    new Gauge({
      name: 'tongban_sla_due_soon_cases',
      help: 'Undecided cases past their SLA warning time but not yet due (clock running), by department',
      labelNames: ['department'],
      registers: [registry],
      async collect() {
        setPerDepartment(this, departments, (await snapshot()).overdue, (row) => row.due_soon);
      },
    });
    this.departmentDecisions = new Counter({
      name: 'tongban_approval_department_decisions_total',
      help: 'Decisions of departments on their work items, by outcome (approved, rejected, withdrawn) and origin',
      labelNames: ['department', 'outcome', 'origin'],
      registers: [registry],
    });
    this.caseDecisions = new Counter({
      name: 'tongban_approval_decisions_total',
      help: 'Cases decided, by outcome and origin (auto = 秒批); the auto-approval share is origin="auto" over all',
      labelNames: ['outcome', 'origin'],
      registers: [registry],
    });
    this.timeToDecision = new Histogram({
      name: 'tongban_approval_time_to_decision_seconds',
      help: 'Wall-clock time from a case reaching approval (case.routed) to its decision',
      labelNames: ['origin', 'outcome'],
      buckets: [0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400],
      registers: [registry],
    });
    this.slaEvents = new Counter({
      name: 'tongban_sla_events_total',
      help: 'case.sla events emitted, by kind (paused, resumed, warning, overdue, escalated) and department',
      labelNames: ['kind', 'department'],
      registers: [registry],
    });
    this.supplementRequests = new Counter({
      name: 'tongban_approval_supplement_requests_total',
      help: 'Supplement requests (一次性告知) sent to applicants, by department',
      labelNames: ['department'],
      registers: [registry],
    });
  }
}

/** Metric updates gathered inside a transaction, applied only once it committed. */
export class PendingMetrics {
  private readonly updates: (() => void)[] = [];

  add(update: () => void): void {
    this.updates.push(update);
  }

  apply(): void {
    for (const update of this.updates.splice(0)) update();
  }
}
