import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AnyCaseSnapshot } from '@tongban/contracts';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { inTransaction, type TransactionUnit } from '@tongban/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  ApprovalCase,
  CaseChanges,
  CaseFile,
  SupplementRequest,
  TimerChange,
  WorkItem,
} from '../domain/approval-case';
import { must } from '../domain/must';
import { ACTIVE_STATES, type WorkItemState } from '../domain/parallel-join';
import type { SlaTimerKind } from '../domain/sla-clock';
import type { PriorRequest } from '../domain/supplement-policy';
import {
  type ApprovalCaseRow,
  approvalCases,
  type SlaTimerRow,
  type SupplementRequestRow,
  supplementRequests,
  type WorkItemRow,
  workItems,
} from './approval-tables';

/** A work item with the case facts a queue shows. */
export interface QueueEntry {
  readonly item: WorkItem;
  readonly dueAt: Date;
  readonly warnAt: Date | null;
  readonly pausedAt: Date | null;
  readonly supplementRound: number;
  readonly snapshot: AnyCaseSnapshot;
  /** The legal clock, which the promised one (承诺时限) follows. */
  readonly clockDepartmentId: string;
  readonly clockStartedAt: Date;
  readonly budgetSeconds: number;
}

/** Which queue entries to list, most urgent due time first. */
export interface QueueFilter {
  /** One department's queue; null for every department (operators). */
  readonly departmentId: string | null;
  /** Absent: the active items (open or awaiting a supplement). */
  readonly state?: WorkItemState;
  readonly itemCode?: string;
  readonly overdue?: boolean;
  readonly dueSoon?: boolean;
  readonly escalated?: boolean;
  readonly claimedBy?: string;
  /** Keyset position: entries after this (due time, item id). */
  readonly after?: { readonly dueAt: string; readonly id: string };
  readonly limit: number;
}

export interface DueTimer {
  readonly caseId: string;
  readonly routingId: string;
  readonly kind: SlaTimerKind;
}

export interface QueueSize {
  readonly department_id: string;
  readonly state: string;
  readonly size: number;
  readonly oldest: number;
}

export interface Lateness {
  readonly department_id: string;
  readonly overdue: number;
  readonly due_soon: number;
}

const ACTIVE = `(${ACTIVE_STATES.map((state) => `'${state}'`).join(', ')})`;
const QUEUE_COLUMNS = `${workItems.columnsOf('w')}, c.due_at AS case_due_at, c.warn_at AS case_warn_at,
  c.paused_at AS case_paused_at, c.supplement_round AS case_supplement_round, c.snapshot AS case_snapshot,
  c.clock_department_id AS case_clock_department_id, c.clock_started_at AS case_clock_started_at,
  c.budget_seconds AS case_budget_seconds`;

interface QueueRow extends WorkItemRow {
  case_due_at: Date;
  case_warn_at: Date | null;
  case_paused_at: Date | null;
  case_supplement_round: number;
  case_snapshot: AnyCaseSnapshot;
  case_clock_department_id: string;
  case_clock_started_at: Date;
  case_budget_seconds: number;
}

/**
 * All of approval's SQL. Writers load a case file under the case row's lock (the lock every
 * writer takes first, which serialises the changes of one case and keeps its outbox rows in
 * order), and write a decision's changes in one statement.
 */
@Injectable()
export class ApprovalStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A transaction with post-commit work (metrics), for writers that are not Kafka handlers. */
  transaction<Result>(work: (unit: TransactionUnit) => Promise<Result>): Promise<Result> {
    return inTransaction(this.dataSource, work);
  }

  /**
   * The case, locked, with all its work items (of every routing). Two statements: a sub-select in
   * the locking statement would read the items as they were before the lock was granted.
   */
  async lockCase(manager: EntityManager, caseId: string): Promise<CaseFile> {
    const row = await queryOne<ApprovalCaseRow>(
      manager,
      `SELECT ${approvalCases.columnList} FROM approval_cases WHERE case_id = $1 FOR UPDATE`,
      [caseId],
    );
    if (!row) return { case: undefined, items: [] };
    const items = await query<WorkItemRow>(
      manager,
      `SELECT ${workItems.columnList} FROM work_items WHERE case_id = $1`,
      [caseId],
    );
    return { case: caseOf(row), items: items.map(itemOf) };
  }

  /** The case and department of a work item, to check the caller's scope before locking. */
  async itemRef(
    itemId: string,
    db: Queryable = this.dataSource,
  ): Promise<{ readonly caseId: string; readonly departmentId: string } | undefined> {
    const row = await queryOne<Pick<WorkItemRow, 'case_id' | 'department_id'>>(
      db,
      `SELECT case_id, department_id FROM work_items WHERE id = $1`,
      [itemId],
    );
    return row && { caseId: row.case_id, departmentId: row.department_id };
  }

  /** The case's supplement requests as the 一次性告知 rules see them. */
  supplementHistory(manager: EntityManager, caseId: string): Promise<PriorRequest[]> {
    return query<PriorRequest>(
      manager,
      `SELECT department_id AS "departmentId", round, answered_at IS NOT NULL AS answered,
              withdrawn_at IS NOT NULL AS withdrawn, COALESCE(answered_materials, '{}') AS "answeredMaterials"
         FROM supplement_requests WHERE case_id = $1`,
      [caseId],
    );
  }

  async lockRequest(
    manager: EntityManager,
    caseId: string,
    requestId: string,
  ): Promise<SupplementRequest | undefined> {
    const row = await queryOne<SupplementRequestRow>(
      manager,
      `SELECT ${supplementRequests.columnList} FROM supplement_requests
        WHERE request_id = $1 AND case_id = $2 FOR UPDATE`,
      [requestId, caseId],
    );
    return row && requestOf(row);
  }

  async requestsOf(caseId: string, db: Queryable = this.dataSource): Promise<SupplementRequest[]> {
    const rows = await query<SupplementRequestRow>(
      db,
      `SELECT ${supplementRequests.columnList} FROM supplement_requests WHERE case_id = $1 ORDER BY round`,
      [caseId],
    );
    return rows.map(requestOf);
  }

  /** The next number of the department's result documents on `day` (YYYY-MM-DD, China time). */
  async nextDocumentNumber(manager: EntityManager, departmentId: string, day: string): Promise<number> {
    const row = await queryOne<{ last_seq: number }>(
      manager,
      `INSERT INTO document_sequences (department_id, day, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (department_id, day) DO UPDATE SET last_seq = document_sequences.last_seq + 1
       RETURNING last_seq`,
      [departmentId, day],
    );
    return must(row, 'the document sequence').last_seq;
  }

  /**
   * Writes a decision's changes in one statement, each change a data-modifying CTE: the case and
   * items whole (insert or update), the timers and the supplement requests. A decision never
   * changes one row twice, which a single statement could not order.
   */
  async apply(manager: EntityManager, changes: CaseChanges): Promise<void> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const steps: string[] = [];
    if (changes.case) {
      const update = updateList(approvalCases.columnList, ['case_id', 'created_at']);
      steps.push(`INSERT INTO approval_cases
        SELECT * FROM jsonb_populate_record(NULL::approval_cases, ${param(JSON.stringify(caseRow(changes.case)))})
        ON CONFLICT (case_id) DO UPDATE SET ${update}`);
    }
    if (changes.items.length > 0) {
      const update = updateList(workItems.columnList, ['id', 'created_at']);
      steps.push(`INSERT INTO work_items
        SELECT * FROM jsonb_populate_recordset(NULL::work_items, ${param(JSON.stringify(changes.items.map(itemRow)))})
        ON CONFLICT (id) DO UPDATE SET ${update}`);
    }
    for (const timer of changes.timers) steps.push(timerStatement(timer, param));
    for (const request of changes.requests) {
      switch (request.kind) {
        case 'insert':
          steps.push(`INSERT INTO supplement_requests SELECT * FROM
            jsonb_populate_record(NULL::supplement_requests, ${param(JSON.stringify(requestRow(request.request)))})`);
          break;
        case 'answer':
          steps.push(`UPDATE supplement_requests SET answered_at = ${param(request.answeredAt)},
            answered_materials = ${param(request.materials)} WHERE request_id = ${param(request.requestId)}`);
          break;
        case 'withdraw_open':
          steps.push(`UPDATE supplement_requests SET withdrawn_at = ${param(request.at)}
            WHERE case_id = ${param(request.caseId)} AND answered_at IS NULL AND withdrawn_at IS NULL`);
          break;
      }
    }
    if (steps.length === 0) return;
    const ctes = steps.map((step, index) => `step${index} AS (${step} RETURNING 1)`);
    await execute(manager, `WITH ${ctes.join(',\n')} SELECT 1`, params);
  }

  /**
   * Claims a batch of due timers and marks them fired: `SKIP LOCKED` on the timer and its case,
   * so each timer fires once across instances while the case stays locked for the caller.
   */
  async fireDueTimers(manager: EntityManager, batch: number): Promise<DueTimer[]> {
    const { rows } = await execute<Pick<SlaTimerRow, 'id' | 'case_id' | 'routing_id' | 'kind' | 'fire_at'>>(
      manager,
      `WITH due AS (
         SELECT t.id FROM sla_timers t JOIN approval_cases c ON c.case_id = t.case_id
          WHERE t.state = 'pending' AND t.fire_at <= now()
          ORDER BY t.fire_at, t.id LIMIT $1
            FOR UPDATE OF t, c SKIP LOCKED)
       UPDATE sla_timers s SET state = 'fired', fired_at = now(), updated_at = now()
         FROM due WHERE s.id = due.id
       RETURNING s.id, s.case_id, s.routing_id, s.kind, s.fire_at`,
      [batch],
    );
    return rows
      .sort((a, b) => a.fire_at.getTime() - b.fire_at.getTime() || Number(BigInt(a.id) - BigInt(b.id)))
      .map((row) => ({ caseId: row.case_id, routingId: row.routing_id, kind: row.kind }));
  }

  /** A department's queue (or all of them), keyset-paginated on (due time, id). */
  async queue(filter: QueueFilter, db: Queryable = this.dataSource): Promise<QueueEntry[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => `$${values.push(value)}`;
    if (filter.departmentId !== null) conditions.push(`w.department_id = ${param(filter.departmentId)}`);
    conditions.push(filter.state ? `w.state = ${param(filter.state)}` : `w.state IN ${ACTIVE}`);
    if (filter.itemCode) conditions.push(`w.item_code = ${param(filter.itemCode)}`);
    const running = `w.state IN ${ACTIVE} AND c.paused_at IS NULL`;
    if (filter.overdue !== undefined)
      conditions.push(
        filter.overdue ? `(${running} AND c.due_at <= now())` : `NOT (${running} AND c.due_at <= now())`,
      );
    if (filter.dueSoon !== undefined) {
      const soon = `(${running} AND c.warn_at <= now() AND c.due_at > now())`;
      conditions.push(filter.dueSoon ? soon : `NOT ${soon}`);
    }
    if (filter.escalated !== undefined)
      conditions.push(filter.escalated ? 'w.escalated_at IS NOT NULL' : 'w.escalated_at IS NULL');
    if (filter.claimedBy) conditions.push(`w.claimed_by = ${param(filter.claimedBy)}`);
    if (filter.after)
      conditions.push(
        `(c.due_at, w.id) > (${param(filter.after.dueAt)}::timestamptz, ${param(filter.after.id)}::uuid)`,
      );
    const rows = await query<QueueRow>(
      db,
      `SELECT ${QUEUE_COLUMNS} FROM work_items w JOIN approval_cases c ON c.case_id = w.case_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY c.due_at, w.id LIMIT ${param(filter.limit)}`,
      values,
    );
    return rows.map(queueEntryOf);
  }

  async queueEntry(itemId: string, db: Queryable = this.dataSource): Promise<QueueEntry | undefined> {
    const row = await queryOne<QueueRow>(
      db,
      `SELECT ${QUEUE_COLUMNS} FROM work_items w JOIN approval_cases c ON c.case_id = w.case_id WHERE w.id = $1`,
      [itemId],
    );
    return row && queueEntryOf(row);
  }

  /** Active items per department and state, with the age of the oldest (metrics). */
  queueSizes(db: Queryable = this.dataSource): Promise<QueueSize[]> {
    return query<QueueSize>(
      db,
      `SELECT department_id, state, count(*)::int AS size,
              COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest
         FROM work_items WHERE state IN ${ACTIVE}
        GROUP BY department_id, state`,
    );
  }

  /** Cases overdue or due soon (clock running) per department (metrics). */
  lateness(db: Queryable = this.dataSource): Promise<Lateness[]> {
    return query<Lateness>(
      db,
      `SELECT w.department_id,
              count(DISTINCT w.case_id) FILTER (WHERE c.due_at <= now())::int AS overdue,
              count(DISTINCT w.case_id) FILTER (WHERE c.due_at > now() AND c.warn_at <= now())::int
                AS due_soon
         FROM work_items w JOIN approval_cases c ON c.case_id = w.case_id
        WHERE w.state IN ${ACTIVE} AND c.paused_at IS NULL
          AND (c.due_at <= now() OR c.warn_at <= now())
        GROUP BY w.department_id`,
    );
  }
}

function updateList(columnList: string, kept: readonly string[]): string {
  return columnList
    .split(', ')
    .filter((name) => !kept.includes(name))
    .map((name) => `${name} = EXCLUDED.${name}`)
    .join(', ');
}

function timerStatement(timer: TimerChange, param: (value: unknown) => string): string {
  switch (timer.kind) {
    case 'schedule':
      return `INSERT INTO sla_timers (case_id, routing_id, kind, fire_at, state)
        SELECT ${param(timer.caseId)}::uuid, ${param(timer.routingId)}::uuid, kind, fire_at, 'pending'
          FROM jsonb_to_recordset(${param(JSON.stringify(Object.entries(timer.fireAt).map(([kind, fireAt]) => ({ kind, fire_at: fireAt }))))})
            AS t(kind text, fire_at timestamptz)
        ON CONFLICT (routing_id, kind) DO UPDATE SET fire_at = EXCLUDED.fire_at, state = 'pending', updated_at = now()
         WHERE sla_timers.state IN ('pending', 'paused')`;
    case 'pause':
      return `UPDATE sla_timers SET state = 'paused', updated_at = now()
        WHERE routing_id = ${param(timer.routingId)} AND state = 'pending'`;
    case 'cancel':
      return `UPDATE sla_timers SET state = 'cancelled', updated_at = now()
        WHERE case_id = ${param(timer.caseId)} AND state IN ('pending', 'paused')`;
  }
}

function caseOf(row: ApprovalCaseRow): ApprovalCase {
  return {
    caseId: row.case_id,
    routingId: row.routing_id,
    itemCode: row.item_code,
    receiptNumber: row.receipt_number,
    snapshot: row.snapshot,
    state: row.state,
    clockDepartmentId: row.clock_department_id,
    timeLimitDays: row.time_limit_days,
    clock: {
      startedAt: row.clock_started_at,
      dueAt: row.due_at,
      budgetSeconds: row.budget_seconds,
      pausedAt: row.paused_at,
      remainingSeconds: row.remaining_seconds,
    },
    warnAt: row.warn_at,
    supplementRound: row.supplement_round,
    outcome: row.outcome,
    origin: row.origin,
    decidedAt: row.decided_at,
    resultDocument: row.result_document,
    autoChecks: row.auto_checks,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function caseRow(value: ApprovalCase): ApprovalCaseRow {
  return {
    case_id: value.caseId,
    routing_id: value.routingId,
    item_code: value.itemCode,
    receipt_number: value.receiptNumber,
    snapshot: value.snapshot,
    state: value.state,
    clock_department_id: value.clockDepartmentId,
    time_limit_days: value.timeLimitDays,
    clock_started_at: value.clock.startedAt,
    due_at: value.clock.dueAt,
    budget_seconds: value.clock.budgetSeconds,
    warn_at: value.warnAt,
    paused_at: value.clock.pausedAt,
    remaining_seconds: value.clock.remainingSeconds,
    supplement_round: value.supplementRound,
    outcome: value.outcome,
    origin: value.origin,
    decided_at: value.decidedAt,
    result_document: value.resultDocument,
    auto_checks: value.autoChecks,
    version: value.version,
    created_at: value.createdAt,
    updated_at: value.updatedAt,
  };
}

function itemOf(row: WorkItemRow): WorkItem {
  return {
    id: row.id,
    caseId: row.case_id,
    routingId: row.routing_id,
    departmentId: row.department_id,
    districtCode: row.district_code,
    role: row.role,
    itemCode: row.item_code,
    receiptNumber: row.receipt_number,
    state: row.state,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    escalatedAt: row.escalated_at,
    origin: row.origin,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reasonCode: row.reason_code,
    reasonText: row.reason_text,
    document: row.document,
    autoChecks: row.auto_checks,
    withdrawnReason: row.withdrawn_reason,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function itemRow(value: WorkItem): WorkItemRow {
  return {
    id: value.id,
    case_id: value.caseId,
    routing_id: value.routingId,
    department_id: value.departmentId,
    district_code: value.districtCode,
    role: value.role,
    item_code: value.itemCode,
    receipt_number: value.receiptNumber,
    state: value.state,
    claimed_by: value.claimedBy,
    claimed_at: value.claimedAt,
    escalated_at: value.escalatedAt,
    origin: value.origin,
    decided_by: value.decidedBy,
    decided_at: value.decidedAt,
    reason_code: value.reasonCode,
    reason_text: value.reasonText,
    document: value.document,
    auto_checks: value.autoChecks,
    withdrawn_reason: value.withdrawnReason,
    version: value.version,
    created_at: value.createdAt,
    updated_at: value.updatedAt,
  };
}

function requestOf(row: SupplementRequestRow): SupplementRequest {
  return {
    requestId: row.request_id,
    caseId: row.case_id,
    workItemId: row.work_item_id,
    departmentId: row.department_id,
    round: row.round,
    items: row.items,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    dueAt: row.due_at,
    answeredAt: row.answered_at,
    answeredMaterials: row.answered_materials,
    withdrawnAt: row.withdrawn_at,
  };
}

function requestRow(value: SupplementRequest): SupplementRequestRow {
  return {
    request_id: value.requestId,
    case_id: value.caseId,
    work_item_id: value.workItemId,
    department_id: value.departmentId,
    round: value.round,
    items: value.items,
    requested_by: value.requestedBy,
    requested_at: value.requestedAt,
    due_at: value.dueAt,
    answered_at: value.answeredAt,
    answered_materials: value.answeredMaterials ? [...value.answeredMaterials] : null,
    withdrawn_at: value.withdrawnAt,
  };
}

function queueEntryOf(row: QueueRow): QueueEntry {
  return {
    item: itemOf(row),
    dueAt: row.case_due_at,
    warnAt: row.case_warn_at,
    pausedAt: row.case_paused_at,
    supplementRound: row.case_supplement_round,
    snapshot: row.case_snapshot,
    clockDepartmentId: row.case_clock_department_id,
    clockStartedAt: row.case_clock_started_at,
    budgetSeconds: Number(row.case_budget_seconds),
  };
}
