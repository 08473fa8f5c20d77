import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, assertInScope, AuditTrail, eventActor } from '@tongban/auth';
import { createEvent, type TongbanEvent } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { referenceData } from '@tongban/reference-data';
import { invalidRequest, SERVICE_CONFIG } from '@tongban/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { ApprovalConfig } from '../config/approval-config';
import { PendingMetrics } from '../metrics/approval-metrics';
import { pauseClock } from '../sla/sla-clock';
import { SlaClocks } from '../sla/sla-clocks';
import { CaseWorkflow, ITEM_COLUMNS } from './case-workflow';
import { must } from './must';
import { checkSupplementRequest, type PriorRequest } from './supplement-policy';
import type { ApproveDto, RejectDto, RequestSupplementsDto } from './work-item.dto';
import { UUID } from './work-item-queries.service';
import type { CaseRow, ResultDocument, WorkItemRow } from './work-rows';

function conflict(message: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, ...extra });
}

const STATE_CONFLICTS: Record<string, string> = {
  supplement_requested: 'the item is waiting for the applicant’s supplement',
  approved: 'the item has already been decided (approved)',
  rejected: 'the item has already been decided (rejected)',
  withdrawn: 'the item has been withdrawn',
};

export interface DecisionResult {
  readonly workItemId: string;
  readonly caseId: string;
  readonly state: 'approved' | 'rejected';
  readonly document: ResultDocument | null;
  /** The case outcome once every department decided (并联审批), else "pending". */
  readonly caseOutcome: 'approved' | 'rejected' | 'pending';
}

/**
 * What reviewers do to a work item. Each action runs in one transaction that locks the case row,
 * then the item row, re-checks the item's state and claim under those locks, records the actor
 * (columns and audit log) and writes its events to the outbox: of two concurrent decisions on one
 * item exactly one finds it open; the other gets 409.
 */
@Injectable()
export class ReviewerActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly workflow: CaseWorkflow,
    private readonly clocks: SlaClocks,
    @Inject(SERVICE_CONFIG) private readonly config: ApprovalConfig,
  ) {}

  /** One reviewer at a time: a claim held by someone else is a 409. Claiming again is a no-op. */
  async claim(actor: Actor, id: string): Promise<{ id: string; claimedBy: string; version: number }> {
    return this.dataSource.transaction(async (manager) => {
      const { item } = await this.lockItem(manager, actor, id);
      if (item.state !== 'supplement_requested') this.assertState(item);
      if (item.claimed_by === actor.sub) return { id, claimedBy: actor.sub, version: item.version };
      if (item.claimed_by !== null)
        throw conflict('the item is claimed by another reviewer', { claimedBy: item.claimed_by });
      const [[updated]] = (await manager.query(
        `UPDATE work_items SET claimed_by = $2, claimed_at = now(), version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING version`,
        [id, actor.sub],
      )) as [{ version: number }[], number];
      await this.record(manager, actor, 'work-item.claim', item, {});
      return { id, claimedBy: actor.sub, version: must(updated, 'the claimed item').version };
    });
  }

  /** The holder releases the claim; a supervisor may release anyone's (reassignment). */
  async release(actor: Actor, id: string): Promise<{ id: string; claimedBy: null; version: number }> {
    return this.dataSource.transaction(async (manager) => {
      const { item } = await this.lockItem(manager, actor, id);
      if (item.claimed_by === null) return { id, claimedBy: null, version: item.version };
      const supervisor = actor.role === 'reviewer' && actor.supervisor;
      if (item.claimed_by !== actor.sub && !supervisor)
        throw conflict('the item is claimed by another reviewer', { claimedBy: item.claimed_by });
      const [[updated]] = (await manager.query(
        `UPDATE work_items SET claimed_by = NULL, claimed_at = NULL, version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING version`,
        [id],
      )) as [{ version: number }[], number];
      await this.record(manager, actor, 'work-item.release', item, { releasedClaimOf: item.claimed_by });
      return { id, claimedBy: null, version: must(updated, 'the released item').version };
    });
  }

  async approve(actor: Actor, id: string, dto: ApproveDto): Promise<DecisionResult> {
    return this.decide(actor, id, 'approved', async (manager, item, at) => ({
      document: await this.workflow.issueDocument(manager, item.department_id, item.item_code, at, {
        ...(dto.validUntil ? { validUntil: dto.validUntil } : {}),
        ...(dto.remarks ? { remarks: dto.remarks } : {}),
        paperNoticeRequested: dto.paperNoticeRequested,
      }),
    }));
  }

  async reject(actor: Actor, id: string, dto: RejectDto): Promise<DecisionResult> {
    return this.decide(actor, id, 'rejected', () =>
      Promise.resolve({ reasonCode: dto.reasonCode, reasonText: dto.text }),
    );
  }

  /**
   * 一次性告知: every missing or wrong material at once. Refused (409) while the case has an open
   * request (its round), and, in a later round, for materials the applicant did not change since
   * this department's previous request. Pauses the case clock until `case.supplemented`.
   */
  async requestSupplements(actor: Actor, id: string, dto: RequestSupplementsDto) {
    const pending = new PendingMetrics();
    const result = await this.dataSource.transaction(async (manager) => {
      const { caseRow, item } = await this.lockItem(manager, actor, id);
      this.assertState(item);
      this.assertClaimedBy(item, actor);
      const catalogue = referenceData().item(item.item_code);
      const names = new Map(catalogue?.materials.map((material) => [material.code, material.name]) ?? []);
      const issues = dto.items.flatMap((entry, index) =>
        catalogue && !names.has(entry.materialCode)
          ? [{ field: `items.${index}.materialCode`, reason: `is not a material of ${item.item_code}` }]
          : !catalogue && !entry.materialName
            ? [
                {
                  field: `items.${index}.materialName`,
                  reason: 'is required for a material outside the catalogue',
                },
              ]
            : [],
      );
      if (issues.length > 0) throw invalidRequest(issues);

      const history = (await manager.query(
        `SELECT department_id AS "departmentId", round, answered_at IS NOT NULL AS answered,
                withdrawn_at IS NOT NULL AS withdrawn, COALESCE(answered_materials, '{}') AS "answeredMaterials"
           FROM supplement_requests WHERE case_id = $1`,
        [caseRow.case_id],
      )) as PriorRequest[];
      const codes = dto.items.map((entry) => entry.materialCode);
      const check = checkSupplementRequest(item.department_id, codes, history);
      if (!check.ok && check.reason === 'round_open')
        throw conflict(
          `a supplement request (round ${check.round}) is already open; 一次性告知 allows one list per round`,
          {
            round: check.round,
            departmentId: check.departmentId,
          },
        );
      if (!check.ok)
        throw conflict('a later round may only ask about materials the applicant changed (一次性告知)', {
          issues: check.materials.map((code) => ({
            field: `items.${codes.indexOf(code)}.materialCode`,
            reason: `${code} was not changed by the applicant since this department's last request`,
          })),
        });

      const now = new Date();
      const requestId = randomUUID();
      const items = dto.items.map((entry) => ({
        materialCode: entry.materialCode,
        materialName: names.get(entry.materialCode) ?? entry.materialName ?? entry.materialCode,
        reason: entry.reason,
      }));
      const days =
        catalogue?.rongque.allowed === true
          ? catalogue.rongque.supplementDays
          : this.config.SUPPLEMENT_RESPONSE_WORKING_DAYS;
      const dueAt = this.clocks.addWorkingDays(caseRow.clock_department_id, now, days);
      const requestedBy = eventActor(actor);
      await manager.query(
        `INSERT INTO supplement_requests (request_id, case_id, work_item_id, department_id, round, items,
                requested_by, requested_at, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          requestId,
          caseRow.case_id,
          item.id,
          item.department_id,
          check.round,
          JSON.stringify(items),
          JSON.stringify(requestedBy),
          now,
          dueAt,
        ],
      );
      await manager.query(
        `UPDATE work_items SET state = 'supplement_requested', version = version + 1, updated_at = now() WHERE id = $1`,
        [item.id],
      );
      await manager.query(`UPDATE approval_cases SET supplement_round = $2 WHERE case_id = $1`, [
        caseRow.case_id,
        check.round,
      ]);
      const paused = pauseClock(this.workflow.clockState(caseRow), now, this.workflow.clockOf(caseRow));
      await this.workflow.saveClock(manager, caseRow.case_id, paused, null);
      await this.workflow.pauseTimers(manager, caseRow.routing_id);
      const events: TongbanEvent[] = [
        createEvent({
          type: 'case.supplement-requested',
          caseId: caseRow.case_id,
          producer: 'approval',
          occurredAt: now,
          payload: {
            requestId,
            departmentId: item.department_id,
            round: check.round,
            items,
            dueAt: dueAt.toISOString(),
            requestedBy,
          },
        }),
        this.workflow.slaEvent(caseRow, paused, 'paused', item.department_id, now, pending),
      ];
      await appendToOutbox(manager, events);
      await this.record(manager, actor, 'work-item.request-supplements', item, {
        requestId,
        round: check.round,
        materials: codes,
      });
      pending.add(() => this.workflow.metrics.supplementRequests.inc({ department: item.department_id }));
      return {
        requestId,
        workItemId: item.id,
        caseId: caseRow.case_id,
        round: check.round,
        items,
        dueAt: dueAt.toISOString(),
      };
    });
    pending.apply();
    return result;
  }

  private async decide(
    actor: Actor,
    id: string,
    outcome: 'approved' | 'rejected',
    details: (
      manager: EntityManager,
      item: WorkItemRow,
      at: Date,
    ) => Promise<{ document?: ResultDocument; reasonCode?: string; reasonText?: string }>,
  ): Promise<DecisionResult> {
    const pending = new PendingMetrics();
    const result = await this.dataSource.transaction(async (manager) => {
      const { caseRow, item } = await this.lockItem(manager, actor, id);
      this.assertState(item);
      this.assertClaimedBy(item, actor);
      const at = new Date();
      const extra = await details(manager, item, at);
      await this.workflow.decideItem(
        manager,
        item,
        { outcome, origin: 'reviewer', actor: eventActor(actor), at, ...extra },
        pending,
      );
      await this.record(
        manager,
        actor,
        outcome === 'approved' ? 'work-item.approve' : 'work-item.reject',
        item,
        {
          ...(extra.document ? { documentNumber: extra.document.number } : {}),
          ...(extra.reasonCode ? { reasonCode: extra.reasonCode } : {}),
        },
      );
      const join = await this.workflow.joinAndDecide(manager, caseRow, at, pending);
      return {
        workItemId: item.id,
        caseId: item.case_id,
        state: outcome,
        document: extra.document ?? null,
        caseOutcome: join.kind,
      };
    });
    pending.apply();
    return result;
  }

  /** Locks the case row, then the item row (the order every writer uses); 404 outside the scope. */
  private async lockItem(
    manager: EntityManager,
    actor: Actor,
    id: string,
  ): Promise<{ caseRow: CaseRow; item: WorkItemRow }> {
    if (!UUID.test(id)) throw new NotFoundException();
    const [ref] = (await manager.query(`SELECT case_id, department_id FROM work_items WHERE id = $1`, [
      id,
    ])) as {
      case_id: string;
      department_id: string;
    }[];
    if (!ref) throw new NotFoundException();
    assertInScope(actor, { departmentId: ref.department_id });
    const caseRow = await this.workflow.lockCase(manager, ref.case_id);
    const [item] = (await manager.query(`SELECT ${ITEM_COLUMNS} FROM work_items WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as WorkItemRow[];
    if (!caseRow || !item) throw new NotFoundException();
    return { caseRow, item };
  }

  private assertState(item: WorkItemRow): void {
    if (item.state !== 'open')
      throw conflict(STATE_CONFLICTS[item.state] ?? 'the item is not open', { state: item.state });
  }

  private assertClaimedBy(item: WorkItemRow, actor: Actor): void {
    if (item.claimed_by === null) throw conflict('claim the item before acting on it');
    if (item.claimed_by !== actor.sub)
      throw conflict('the item is claimed by another reviewer', { claimedBy: item.claimed_by });
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    item: WorkItemRow,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(manager, {
      actor,
      action,
      objectType: 'work_item',
      objectId: item.id,
      result: 'succeeded',
      detail: { caseId: item.case_id, departmentId: item.department_id, ...detail },
    });
  }
}
