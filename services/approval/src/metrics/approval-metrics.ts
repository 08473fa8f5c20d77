import { Inject, Injectable } from '@nestjs/common';
import { ReferenceData } from '@tongban/reference-data';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CaseFile, Decision } from '../domain/approval-case';
import { isActive } from '../domain/parallel-join';
import { ApprovalStore, type Lateness, type QueueSize } from '../store/approval-store';

/** Every department of the reference data gets a sample, 0 when it has no row, so alerts have a baseline. */
function setPerDepartment(
  gauge: Gauge<'department'>,
  departments: readonly string[],
  rows: readonly Lateness[],
  value: (row: Lateness) => number,
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

  constructor(@Inject(SERVICE_METRICS) registry: Registry, store: ApprovalStore, reference: ReferenceData) {
    // The SLA gauges report every department, 0 when none of its cases is late, so a quiet
    // department is a 0 on the dashboard (not "no data") and the alert's delta starts from 0.
    const departments = reference.departments().map((department) => department.id);
    // A scrape collects several gauges at once; they share one round trip while it is in flight.
    let inFlight: Promise<{ queue: QueueSize[]; overdue: Lateness[] }> | undefined;
    const snapshot = () =>
      (inFlight ??= Promise.all([store.queueSizes(), store.lateness()])
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

  /** Counts a committed decision: department decisions, case decisions, SLA events, supplement requests. */
  record(before: CaseFile, decision: Extract<Decision, { ok: true }>): void {
    for (const item of decision.changes.items) {
      const previous = before.items.find((candidate) => candidate.id === item.id);
      if (previous && !isActive(previous.state)) continue;
      if (item.state === 'approved' || item.state === 'rejected')
        this.departmentDecisions.inc({
          department: item.departmentId,
          outcome: item.state,
          origin: item.origin ?? 'reviewer',
        });
      else if (item.state === 'withdrawn')
        this.departmentDecisions.inc({
          department: item.departmentId,
          outcome: 'withdrawn',
          origin: 'system',
        });
    }
    for (const event of decision.events) {
      switch (event.type) {
        case 'case.decided': {
          const { outcome, origin } = event.payload;
          const createdAt = decision.changes.case?.createdAt ?? before.case?.createdAt;
          this.caseDecisions.inc({ outcome, origin });
          if (createdAt)
            this.timeToDecision.observe(
              { origin, outcome },
              Math.max(0, (Date.parse(event.occurredAt) - createdAt.getTime()) / 1000),
            );
          break;
        }
        case 'case.sla':
          this.slaEvents.inc({ kind: event.payload.kind, department: event.payload.departmentId });
          break;
        case 'case.supplement-requested':
          this.supplementRequests.inc({ department: event.payload.departmentId });
          break;
        default:
          break;
      }
    }
  }
}
