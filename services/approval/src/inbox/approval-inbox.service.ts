import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { AnyCaseSnapshot, EventOf, TongbanEvent } from '@tongban/contracts';
import type { HandlerUnit } from '@tongban/messaging';
import { referenceData } from '@tongban/reference-data';
import type { EntityManager } from 'typeorm';
import { evaluateAutoApproval } from '../auto/auto-approval';
import type { PendingMetrics } from '../metrics/approval-metrics';
import { resumeClock, startClock } from '../sla/sla-clock';
import { SlaClocks } from '../sla/sla-clocks';
import { AUTO_ACTOR, CaseWorkflow, ITEM_COLUMNS } from '../work/case-workflow';
import { must } from '../work/must';
import { type CaseRow, type WorkItemRow } from '../work/work-rows';

/** What approval does with the events it consumes; each runs in the inbox transaction. */
@Injectable()
export class ApprovalInbox {
  private readonly logger = new Logger(ApprovalInbox.name);

  constructor(
    private readonly workflow: CaseWorkflow,
    private readonly clocks: SlaClocks,
  ) {}

  /**
   * A routed case becomes one work item per assigned department (primary and 并联 parallel). A
   * re-route (`supersedesRoutingId`) withdraws the old items, their open supplement request and
   * timers; the clock keeps its original start. 秒批 items whose checks pass are decided here.
   */
  async onRouted(event: EventOf<'case.routed'>, unit: HandlerUnit, pending: PendingMetrics): Promise<void> {
    const manager = unit.manager;
    const payload = event.payload;
    const now = new Date();
    const existing = await this.workflow.lockCase(manager, event.caseId);
    if (existing?.routing_id === payload.routingId) return;
    if (existing && existing.state !== 'in_review') {
      this.logger.warn({
        msg: 'case.routed for a case already decided; ignored',
        caseId: event.caseId,
        routingId: payload.routingId,
        state: existing.state,
      });
      return;
    }
    const primary = must(
      payload.assignments.find((assignment) => assignment.role === 'primary'),
      'the primary assignment',
    );
    const startedAt = existing?.clock_started_at ?? new Date(event.occurredAt);
    if (existing) await this.withdrawRouting(manager, existing, payload.routingId, pending);

    const clock = this.clocks.clockFor(primary.departmentId);
    const dueAt = this.clocks.initialDue(startedAt, new Date(payload.slaDueAt), payload.timeLimitDays);
    const state = startClock(startedAt, dueAt, clock);
    await manager.query(
      `INSERT INTO approval_cases (case_id, routing_id, item_code, receipt_number, snapshot, state,
              clock_department_id, time_limit_days, clock_started_at, due_at, budget_seconds)
       VALUES ($1, $2, $3, $4, $5, 'in_review', $6, $7, $8, $9, $10)
       ON CONFLICT (case_id) DO UPDATE SET routing_id = EXCLUDED.routing_id, item_code = EXCLUDED.item_code,
              receipt_number = EXCLUDED.receipt_number, snapshot = EXCLUDED.snapshot, state = 'in_review',
              clock_department_id = EXCLUDED.clock_department_id, time_limit_days = EXCLUDED.time_limit_days,
              due_at = EXCLUDED.due_at, budget_seconds = EXCLUDED.budget_seconds, paused_at = NULL,
              remaining_seconds = NULL, warn_at = NULL, version = approval_cases.version + 1, updated_at = now()`,
      [
        event.caseId,
        payload.routingId,
        payload.case.itemCode,
        payload.case.receiptNumber,
        JSON.stringify(payload.case),
        primary.departmentId,
        payload.timeLimitDays,
        startedAt,
        state.dueAt,
        state.budgetSeconds,
      ],
    );
    const items: WorkItemRow[] = [];
    for (const assignment of payload.assignments) {
      const [item] = (await manager.query(
        `INSERT INTO work_items (id, case_id, routing_id, department_id, district_code, role, item_code,
                receipt_number, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open') RETURNING ${ITEM_COLUMNS}`,
        [
          randomUUID(),
          event.caseId,
          payload.routingId,
          assignment.departmentId,
          assignment.districtCode,
          assignment.role,
          payload.case.itemCode,
          payload.case.receiptNumber,
        ],
      )) as WorkItemRow[];
      items.push(must(item, 'the inserted work item'));
    }
    const caseRow = must(await this.workflow.lockCase(manager, event.caseId), 'the case row');

    const ref = referenceData();
    const auto = evaluateAutoApproval(ref.item(payload.case.itemCode), payload.case, now, (code, region) =>
      ref.isWithin(code, region),
    );
    const primaryItem = must(
      items.find((item) => item.role === 'primary'),
      'the primary work item',
    );
    if (auto.eligible) {
      await manager.query(`UPDATE work_items SET auto_checks = $2 WHERE id = $1`, [
        primaryItem.id,
        JSON.stringify(auto.checks),
      ]);
      primaryItem.auto_checks = [...auto.checks];
    }
    if (auto.eligible && auto.passed) {
      const document = await this.workflow.issueDocument(
        manager,
        primaryItem.department_id,
        payload.case.itemCode,
        now,
      );
      await this.workflow.decideItem(
        manager,
        primaryItem,
        { outcome: 'approved', origin: 'auto', actor: AUTO_ACTOR, at: now, document },
        pending,
      );
      const join = await this.workflow.joinAndDecide(manager, caseRow, now, pending);
      this.logger.log({
        msg: '秒批: decided without a human step',
        caseId: event.caseId,
        itemCode: payload.case.itemCode,
        outcome: join.kind,
      });
      if (join.kind !== 'pending') return;
    }
    const warnAt = await this.workflow.scheduleTimers(manager, caseRow, state, now);
    await manager.query(`UPDATE approval_cases SET warn_at = $2 WHERE case_id = $1`, [event.caseId, warnAt]);
  }

  /**
   * The applicant answered a supplement request: the request is closed with the materials handed
   * in (later rounds may ask only about those), the snapshot takes them, the department's item is
   * back in its queue and the case clock resumes with the working time it had left.
   */
  async onSupplemented(
    event: EventOf<'case.supplemented'>,
    unit: HandlerUnit,
    pending: PendingMetrics,
  ): Promise<void> {
    const manager = unit.manager;
    const payload = event.payload;
    const caseRow = await this.workflow.lockCase(manager, event.caseId);
    if (!caseRow) {
      this.logger.warn({
        msg: 'case.supplemented for a case approval does not know; ignored',
        caseId: event.caseId,
      });
      return;
    }
    const [request] = (await manager.query(
      `SELECT request_id, work_item_id, department_id, answered_at, withdrawn_at FROM supplement_requests
        WHERE request_id = $1 AND case_id = $2 FOR UPDATE`,
      [payload.requestId, event.caseId],
    )) as {
      request_id: string;
      work_item_id: string;
      department_id: string;
      answered_at: Date | null;
      withdrawn_at: Date | null;
    }[];
    if (!request || request.answered_at) {
      this.logger.warn({
        msg: 'case.supplemented for an unknown or answered request; ignored',
        caseId: event.caseId,
        requestId: payload.requestId,
      });
      return;
    }
    const codes = payload.materials.map((material) => material.code);
    await manager.query(
      `UPDATE supplement_requests SET answered_at = $2, answered_materials = $3 WHERE request_id = $1`,
      [request.request_id, new Date(event.occurredAt), codes],
    );
    const snapshot: AnyCaseSnapshot = {
      ...caseRow.snapshot,
      materials: [
        ...caseRow.snapshot.materials.filter((material) => !codes.includes(material.code)),
        ...payload.materials,
      ],
      missingMaterials: caseRow.snapshot.missingMaterials.filter((code) => !codes.includes(code)),
    };
    await manager.query(`UPDATE approval_cases SET snapshot = $2, updated_at = now() WHERE case_id = $1`, [
      caseRow.case_id,
      JSON.stringify(snapshot),
    ]);
    if (request.withdrawn_at || caseRow.state !== 'in_review') return;

    await manager.query(
      `UPDATE work_items SET state = 'open', version = version + 1, updated_at = now()
        WHERE id = $1 AND state = 'supplement_requested'`,
      [request.work_item_id],
    );
    const now = new Date();
    const clock = this.workflow.clockOf(caseRow);
    const paused = this.workflow.clockState(caseRow);
    // The clock resumes when the applicant handed the materials in (not when we processed it).
    const resumedAt = new Date(
      Math.min(
        now.getTime(),
        Math.max(new Date(event.occurredAt).getTime(), paused.pausedAt?.getTime() ?? 0),
      ),
    );
    const resumed = resumeClock(paused, resumedAt, clock);
    const warnAt = await this.workflow.scheduleTimers(manager, caseRow, resumed, now);
    await this.workflow.saveClock(manager, caseRow.case_id, resumed, warnAt);
    const events: TongbanEvent[] = [
      this.workflow.slaEvent(
        { ...caseRow, snapshot },
        resumed,
        'resumed',
        request.department_id,
        now,
        pending,
      ),
    ];
    await unit.publish(events);
  }

  /** A superseded routing: its active items, open request and pending timers are withdrawn. */
  private async withdrawRouting(
    manager: EntityManager,
    existing: CaseRow,
    newRoutingId: string,
    pending: PendingMetrics,
  ): Promise<void> {
    const withdrawn = (await manager.query(
      `UPDATE work_items SET state = 'withdrawn', withdrawn_reason = 'rerouted', version = version + 1,
              updated_at = now()
        WHERE case_id = $1 AND routing_id <> $2 AND state IN ('open', 'supplement_requested')
        RETURNING department_id`,
      [existing.case_id, newRoutingId],
    )) as [{ department_id: string }[], number];
    await this.workflow.withdrawOpenRequests(manager, existing.case_id);
    await this.workflow.cancelTimers(manager, existing.case_id);
    for (const { department_id: department } of withdrawn[0]) {
      pending.add(() =>
        this.workflow.metrics.departmentDecisions.inc({ department, outcome: 'withdrawn', origin: 'system' }),
      );
    }
  }
}
