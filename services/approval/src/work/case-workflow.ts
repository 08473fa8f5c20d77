import { Injectable } from '@nestjs/common';
import {
  type Actor as EventActor,
  type CaseSnapshotV2,
  createEvent,
  type EventOf,
  type SlaEventKind,
  snapshotVersion,
} from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { localDateOf, referenceData } from '@tongban/reference-data';
import type { EntityManager } from 'typeorm';
import { ApprovalMetrics, type PendingMetrics } from '../metrics/approval-metrics';
import { type ClockState, SLA_TIMER_KINDS, timerSchedule, usedShare } from '../sla/sla-clock';
import { SlaClocks } from '../sla/sla-clocks';
import { must } from './must';
import { joinDecisions, type JoinResult } from './parallel-join';
import { type CaseRow, clockStateOf, partOf, type ResultDocument, type WorkItemRow } from './work-rows';

/** The system actor of decisions nobody made by hand: 秒批 and parallel withdrawals. */
export const AUTO_ACTOR: EventActor = { sub: 'approval-auto', role: 'system' };
export const SYSTEM_ACTOR: EventActor = { sub: 'approval', role: 'system' };

export const CASE_COLUMNS = `case_id, routing_id, item_code, receipt_number, snapshot, state, clock_department_id,
  time_limit_days, clock_started_at, due_at, budget_seconds, warn_at, paused_at, remaining_seconds,
  supplement_round, outcome, origin, decided_at, result_document, auto_checks, version, created_at`;

export const ITEM_COLUMNS = `id, case_id, routing_id, department_id, district_code, role, item_code, receipt_number,
  state, claimed_by, claimed_at, escalated_at, origin, decided_by, decided_at, reason_code, reason_text,
  document, auto_checks, withdrawn_reason, version, created_at, updated_at`;

export interface ItemDecision {
  readonly outcome: 'approved' | 'rejected';
  readonly origin: 'reviewer' | 'auto';
  readonly actor: EventActor;
  readonly at: Date;
  readonly reasonCode?: string;
  readonly reasonText?: string;
  readonly document?: ResultDocument;
}

/**
 * The transactional steps shared by the consumers, the reviewers' API and the SLA poller. Every
 * method runs in the caller's transaction, which has locked the case row first (`lockCase`):
 * that lock serialises all changes to one case and keeps its outbox rows in order.
 */
@Injectable()
export class CaseWorkflow {
  constructor(
    private readonly clocks: SlaClocks,
    readonly metrics: ApprovalMetrics,
  ) {}

  async lockCase(manager: EntityManager, caseId: string): Promise<CaseRow | undefined> {
    const [row] = (await manager.query(
      `SELECT ${CASE_COLUMNS} FROM approval_cases WHERE case_id = $1 FOR UPDATE`,
      [caseId],
    )) as CaseRow[];
    return row;
  }

  async itemsOf(manager: EntityManager, caseRow: CaseRow): Promise<WorkItemRow[]> {
    return (await manager.query(
      `SELECT ${ITEM_COLUMNS} FROM work_items WHERE case_id = $1 AND routing_id = $2
        ORDER BY role DESC, department_id FOR UPDATE`,
      [caseRow.case_id, caseRow.routing_id],
    )) as WorkItemRow[];
  }

  clockOf(caseRow: CaseRow) {
    return this.clocks.clockFor(caseRow.clock_department_id);
  }

  /** Issues the department's result document number: `<department>-<yyyymmdd>-<seq>`. */
  async issueDocument(
    manager: EntityManager,
    departmentId: string,
    itemCode: string,
    at: Date,
    metadata: Pick<ResultDocument, 'validUntil' | 'remarks' | 'paperNoticeRequested'> = {},
  ): Promise<ResultDocument> {
    const day = localDateOf(at);
    const [row] = (await manager.query(
      `INSERT INTO document_sequences (department_id, day, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (department_id, day) DO UPDATE SET last_seq = document_sequences.last_seq + 1
       RETURNING last_seq`,
      [departmentId, day],
    )) as { last_seq: number }[];
    const itemName = referenceData().item(itemCode)?.name ?? itemCode;
    return {
      number: `${departmentId}-${day.replace(/-/g, '')}-${String(must(row, 'the document sequence').last_seq).padStart(5, '0')}`,
      title: `${itemName} 准予办理决定书`.slice(0, 200),
      departmentId,
      issuedAt: at.toISOString(),
      ...metadata,
    };
  }

  async decideItem(
    manager: EntityManager,
    item: WorkItemRow,
    decision: ItemDecision,
    pending: PendingMetrics,
  ): Promise<void> {
    await manager.query(
      `UPDATE work_items SET state = $2, origin = $3, decided_by = $4, decided_at = $5, reason_code = $6,
              reason_text = $7, document = $8, version = version + 1, updated_at = now()
        WHERE id = $1`,
      [
        item.id,
        decision.outcome,
        decision.origin,
        JSON.stringify(decision.actor),
        decision.at,
        decision.reasonCode ?? null,
        decision.reasonText ?? null,
        decision.document ? JSON.stringify(decision.document) : null,
      ],
    );
    pending.add(() =>
      this.metrics.departmentDecisions.inc({
        department: item.department_id,
        outcome: decision.outcome,
        origin: decision.origin,
      }),
    );
  }

  /**
   * 并联审批 join after a department decided: when the case is decided, withdraws the departments
   * still working (first rejection), closes the clock and its timers and emits `case.decided`.
   */
  async joinAndDecide(
    manager: EntityManager,
    caseRow: CaseRow,
    now: Date,
    pending: PendingMetrics,
  ): Promise<JoinResult> {
    const items = await this.itemsOf(manager, caseRow);
    const join = joinDecisions(items.map(partOf));
    if (join.kind === 'pending') return join;
    if (join.kind === 'rejected' && join.withdraw.length > 0) {
      await manager.query(
        `UPDATE work_items SET state = 'withdrawn', withdrawn_reason = 'parallel_rejection', origin = 'system',
                decided_by = $3, decided_at = $4, version = version + 1, updated_at = now()
          WHERE routing_id = $1 AND department_id = ANY($2) AND state IN ('open', 'supplement_requested')`,
        [caseRow.routing_id, join.withdraw, JSON.stringify(SYSTEM_ACTOR), now],
      );
      for (const department of join.withdraw) {
        pending.add(() =>
          this.metrics.departmentDecisions.inc({ department, outcome: 'withdrawn', origin: 'system' }),
        );
      }
    }
    await this.withdrawOpenRequests(manager, caseRow.case_id);
    const primary = items.find((item) => item.role === 'primary');
    const documents = items.flatMap((item) =>
      item.state === 'approved' && item.document ? [item.document] : [],
    );
    const document = primary?.document ?? documents[0];
    const autoChecks = primary?.auto_checks ?? null;
    const decidedOrigin = join.origin;
    await manager.query(
      `UPDATE approval_cases SET state = $2, outcome = $2, origin = $3, decided_at = $4, result_document = $5,
              auto_checks = $6, warn_at = NULL, version = version + 1, updated_at = now()
        WHERE case_id = $1`,
      [
        caseRow.case_id,
        join.kind,
        decidedOrigin,
        now,
        join.kind === 'approved' && document ? JSON.stringify(document) : null,
        autoChecks ? JSON.stringify(autoChecks) : null,
      ],
    );
    await this.cancelTimers(manager, caseRow.case_id);
    const event: EventOf<'case.decided'> = createEvent({
      type: 'case.decided',
      version: snapshotVersion(caseRow.snapshot),
      caseId: caseRow.case_id,
      producer: 'approval',
      occurredAt: now,
      payload: {
        outcome: join.kind,
        origin: decidedOrigin,
        departmentDecisions: [...join.decisions],
        ...(join.kind === 'approved' && document
          ? {
              resultDocument: {
                number: document.number,
                title: document.title,
                departmentId: document.departmentId,
                issuedAt: document.issuedAt,
              },
            }
          : {}),
        ...(join.kind === 'rejected'
          ? {
              rejection: {
                reasonCode: join.rejection.reasonCode ?? 'rejected',
                text: join.rejection.reasonText ?? '不予受理',
              },
            }
          : {}),
        ...(autoChecks ? { autoChecks } : {}),
        paperNoticeRequested: documents.some((d) => d.paperNoticeRequested === true),
        // Either version: createEvent checks it against the version named above.
        case: caseRow.snapshot as CaseSnapshotV2,
      },
    });
    await appendToOutbox(manager, event);
    const seconds = (now.getTime() - caseRow.created_at.getTime()) / 1000;
    pending.add(() => {
      this.metrics.caseDecisions.inc({ outcome: join.kind, origin: decidedOrigin });
      this.metrics.timeToDecision.observe(
        { origin: decidedOrigin, outcome: join.kind },
        Math.max(0, seconds),
      );
    });
    return join;
  }

  async withdrawOpenRequests(manager: EntityManager, caseId: string): Promise<void> {
    await manager.query(
      `UPDATE supplement_requests SET withdrawn_at = now()
        WHERE case_id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`,
      [caseId],
    );
  }

  async saveClock(
    manager: EntityManager,
    caseId: string,
    clock: ClockState,
    warnAt: Date | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE approval_cases SET clock_started_at = $2, due_at = $3, budget_seconds = $4, paused_at = $5,
              remaining_seconds = $6, warn_at = $7, version = version + 1, updated_at = now()
        WHERE case_id = $1`,
      [
        caseId,
        clock.startedAt,
        clock.dueAt,
        clock.budgetSeconds,
        clock.pausedAt,
        clock.remainingSeconds,
        warnAt,
      ],
    );
  }

  /**
   * (Re)schedules the timers of a running clock: kinds that already fired for this routing stay
   * fired, the others get their new fire time. Returns the warning instant (for "due soon").
   */
  async scheduleTimers(
    manager: EntityManager,
    caseRow: Pick<CaseRow, 'case_id' | 'routing_id' | 'clock_department_id'>,
    clock: ClockState,
    now: Date,
  ): Promise<Date | null> {
    const schedule = timerSchedule(
      clock,
      now,
      this.clocks.clockFor(caseRow.clock_department_id),
      this.clocks.policy,
    );
    if (!schedule) return null;
    for (const kind of SLA_TIMER_KINDS) {
      await manager.query(
        `INSERT INTO sla_timers (case_id, routing_id, kind, fire_at, state) VALUES ($1, $2, $3, $4, 'pending')
         ON CONFLICT (routing_id, kind) DO UPDATE SET fire_at = EXCLUDED.fire_at, state = 'pending', updated_at = now()
          WHERE sla_timers.state IN ('pending', 'paused')`,
        [caseRow.case_id, caseRow.routing_id, kind, schedule[kind]],
      );
    }
    return schedule.warning;
  }

  async pauseTimers(manager: EntityManager, routingId: string): Promise<void> {
    await manager.query(
      `UPDATE sla_timers SET state = 'paused', updated_at = now() WHERE routing_id = $1 AND state = 'pending'`,
      [routingId],
    );
  }

  async cancelTimers(manager: EntityManager, caseId: string): Promise<void> {
    await manager.query(
      `UPDATE sla_timers SET state = 'cancelled', updated_at = now()
        WHERE case_id = $1 AND state IN ('pending', 'paused')`,
      [caseId],
    );
  }

  /** A `case.sla` event of the case's clock as it stands at `now`. */
  slaEvent(
    caseRow: CaseRow,
    clock: ClockState,
    kind: SlaEventKind,
    departmentId: string,
    now: Date,
    pending: PendingMetrics,
  ): EventOf<'case.sla'> {
    pending.add(() => this.metrics.slaEvents.inc({ kind, department: departmentId }));
    return createEvent({
      type: 'case.sla',
      caseId: caseRow.case_id,
      producer: 'approval',
      occurredAt: now,
      payload: {
        kind,
        departmentId,
        dueAt: clock.dueAt.toISOString(),
        usedShare: roundShare(usedShare(clock, now, this.clockOf(caseRow))),
        ...(kind === 'escalated' ? { escalatedToRole: 'supervisor' as const } : {}),
      },
    });
  }

  clockState(caseRow: CaseRow): ClockState {
    return clockStateOf(caseRow);
  }
}

function roundShare(share: number): number {
  return Math.round(share * 10000) / 10000;
}
