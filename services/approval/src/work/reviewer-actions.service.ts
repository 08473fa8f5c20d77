import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { type Actor, assertInScope, AuditTrail, eventActor } from '@tongban/auth';
import type { TransactionUnit } from '@tongban/messaging';
import { ReferenceData } from '@tongban/reference-data';
import { Clock, invalidRequest, SERVICE_CONFIG } from '@tongban/runtime';
import type { ApprovalConfig } from '../config/approval-config';
import type {
  CaseAction,
  CaseFile,
  Refusal,
  ResultDocument,
  Reviewer,
  SupplementItem,
  WorkItem,
} from '../domain/approval-case';
import { must } from '../domain/must';
import { ApprovalStore } from '../store/approval-store';
import { CaseWorkflow, type Decided } from '../workflow/case-workflow';
import type { ApproveDto, RejectDto, RequestSupplementsDto } from './work-item.dto';

export const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

export interface DecisionResult {
  readonly workItemId: string;
  readonly caseId: string;
  readonly state: 'approved' | 'rejected';
  readonly document: ResultDocument | null;
  /** The case outcome once every department decided (并联审批), else "pending". */
  readonly caseOutcome: 'approved' | 'rejected' | 'pending';
}

type ItemAction = Extract<CaseAction, { itemId: string }>;

/**
 * What reviewers do to a work item. Each action runs in one transaction that checks the caller's
 * scope, locks the case, decides on the item's state and claim under that lock, records the actor
 * (columns and audit log) and writes its events to the outbox: of two concurrent decisions on one
 * item exactly one finds it open; the other gets 409.
 */
@Injectable()
export class ReviewerActions {
  constructor(
    private readonly store: ApprovalStore,
    private readonly workflow: CaseWorkflow,
    private readonly audit: AuditTrail,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ApprovalConfig,
  ) {}

  /** One reviewer at a time: a claim held by someone else is a 409. Claiming again is a no-op. */
  async claim(actor: Actor, id: string): Promise<{ id: string; claimedBy: string; version: number }> {
    return this.act(
      actor,
      id,
      'work-item.claim',
      (at) => ({ type: 'claim', itemId: id, reviewer: reviewerOf(actor), at }),
      (item, decided) => {
        const changed = decided.changes.items.length > 0;
        return {
          detail: changed ? {} : undefined,
          result: { id, claimedBy: actor.sub, version: item.version },
        };
      },
    );
  }

  /** The holder releases the claim; a supervisor may release anyone's (reassignment). */
  async release(actor: Actor, id: string): Promise<{ id: string; claimedBy: null; version: number }> {
    return this.act(
      actor,
      id,
      'work-item.release',
      (at) => ({ type: 'release', itemId: id, reviewer: reviewerOf(actor), at }),
      (item, decided, before) => {
        const changed = decided.changes.items.length > 0;
        return {
          detail: changed ? { releasedClaimOf: before.claimedBy } : undefined,
          result: { id, claimedBy: null, version: item.version },
        };
      },
    );
  }

  async approve(actor: Actor, id: string, dto: ApproveDto): Promise<DecisionResult> {
    return this.act(
      actor,
      id,
      'work-item.approve',
      async (at, unit, item) => ({
        type: 'approve',
        itemId: id,
        reviewer: reviewerOf(actor),
        document: await this.workflow.issueDocument(unit.manager, item.departmentId, item.itemCode, at, {
          ...(dto.validUntil ? { validUntil: dto.validUntil } : {}),
          ...(dto.remarks ? { remarks: dto.remarks } : {}),
          paperNoticeRequested: dto.paperNoticeRequested,
        }),
        at,
      }),
      (item, decided) => decisionResult(item, decided, { documentNumber: item.document?.number }),
    );
  }

  async reject(actor: Actor, id: string, dto: RejectDto): Promise<DecisionResult> {
    return this.act(
      actor,
      id,
      'work-item.reject',
      (at) => ({
        type: 'reject',
        itemId: id,
        reviewer: reviewerOf(actor),
        reasonCode: dto.reasonCode,
        reasonText: dto.text,
        at,
      }),
      (item, decided) => decisionResult(item, decided, { reasonCode: dto.reasonCode }),
    );
  }

  /**
   * 一次性告知: every missing or wrong material at once. Refused (409) while the case has an open
   * request (its round), and, in a later round, for materials the applicant did not change since
   * this department's previous request. Pauses the case clock until `case.supplemented`.
   */
  async requestSupplements(actor: Actor, id: string, dto: RequestSupplementsDto) {
    const requestId = randomUUID();
    return this.act(
      actor,
      id,
      'work-item.request-supplements',
      async (at, unit, item, file) => ({
        type: 'request_supplements',
        itemId: id,
        reviewer: reviewerOf(actor),
        requestId,
        items: this.namedMaterials(item.itemCode, dto),
        responseDays: this.responseDays(item.itemCode),
        history: await this.store.supplementHistory(unit.manager, must(file.case, 'the case').caseId),
        at,
      }),
      (item, decided) => {
        const inserted = decided.changes.requests.find((change) => change.kind === 'insert');
        const request = must(inserted?.kind === 'insert' ? inserted.request : undefined, 'the request');
        return {
          detail: {
            requestId,
            round: request.round,
            materials: request.items.map((entry) => entry.materialCode),
          },
          result: {
            requestId,
            workItemId: item.id,
            caseId: item.caseId,
            round: request.round,
            items: request.items,
            dueAt: must(request.dueAt, 'the supplement due time').toISOString(),
          },
        };
      },
    );
  }

  /**
   * One reviewer action: scope check, case lock, decision, audit record. `detail` undefined means
   * the action changed nothing (claiming again, releasing a free item) and is not audited.
   */
  private async act<Result>(
    actor: Actor,
    id: string,
    audited: string,
    action: (
      at: Date,
      unit: TransactionUnit,
      item: WorkItem,
      file: CaseFile,
    ) => ItemAction | Promise<ItemAction>,
    answer: (
      item: WorkItem,
      decided: Decided,
      before: WorkItem,
    ) => { detail: Record<string, unknown> | undefined; result: Result },
  ): Promise<Result> {
    if (!UUID.test(id)) throw new NotFoundException();
    return this.store.transaction(async (unit) => {
      const ref = await this.store.itemRef(id, unit.manager);
      if (!ref) throw new NotFoundException();
      assertInScope(actor, { departmentId: ref.departmentId });
      const file = await this.store.lockCase(unit.manager, ref.caseId);
      const before = file.items.find((item) => item.id === id);
      if (!before) throw new NotFoundException();
      const decision = await this.workflow.apply(
        unit,
        file,
        await action(this.clock.now(), unit, before, file),
      );
      if (!decision.ok) throw refusal(decision.refusal);
      const after = decision.changes.items.find((item) => item.id === id) ?? before;
      const { detail, result } = answer(after, decision, before);
      if (detail)
        await this.audit.record(unit.manager, {
          actor,
          action: audited,
          objectType: 'work_item',
          objectId: id,
          result: 'succeeded',
          detail: { caseId: before.caseId, departmentId: before.departmentId, ...withoutUndefined(detail) },
        });
      return result;
    });
  }

  /** Catalogue names for the materials; a material outside the catalogue needs its name. */
  private namedMaterials(itemCode: string, dto: RequestSupplementsDto): SupplementItem[] {
    const catalogue = this.reference.item(itemCode);
    const names = new Map(catalogue?.materials.map((material) => [material.code, material.name]) ?? []);
    const issues = dto.items.flatMap((entry, index) =>
      catalogue && !names.has(entry.materialCode)
        ? [{ field: `items.${index}.materialCode`, reason: `is not a material of ${itemCode}` }]
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
    return dto.items.map((entry) => ({
      materialCode: entry.materialCode,
      materialName: names.get(entry.materialCode) ?? entry.materialName ?? entry.materialCode,
      reason: entry.reason,
    }));
  }

  /** 容缺 items set their own answer period; others get the configured one. */
  private responseDays(itemCode: string): number {
    const catalogue = this.reference.item(itemCode);
    return catalogue?.rongque.allowed === true
      ? catalogue.rongque.supplementDays
      : this.config.SUPPLEMENT_RESPONSE_WORKING_DAYS;
  }
}

function reviewerOf(actor: Actor): Reviewer {
  return {
    sub: actor.sub,
    actor: eventActor(actor),
    supervisor: actor.role === 'reviewer' && actor.supervisor === true,
  };
}

function decisionResult(
  item: WorkItem,
  decided: Decided,
  detail: Record<string, unknown>,
): { detail: Record<string, unknown>; result: DecisionResult } {
  const state = decided.changes.case?.state;
  return {
    detail,
    result: {
      workItemId: item.id,
      caseId: item.caseId,
      state: item.state === 'approved' ? 'approved' : 'rejected',
      document: item.document,
      caseOutcome: state === 'approved' || state === 'rejected' ? state : 'pending',
    },
  };
}

function refusal(refused: Refusal): Error {
  if (refused.kind === 'not_found') return new NotFoundException();
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: refused.message,
    ...refused.detail,
  });
}

function withoutUndefined(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).filter(([, value]) => value !== undefined));
}
