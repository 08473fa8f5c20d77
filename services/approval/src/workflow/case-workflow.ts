import { Injectable } from '@nestjs/common';
import type { TransactionUnit } from '@tongban/messaging';
import { localDateOf, ReferenceData } from '@tongban/reference-data';
import type { EntityManager } from 'typeorm';
import type { CaseAction, CaseFile, Decision, ResultDocument } from '../domain/approval-case';
import { decide } from '../domain/case-decision';
import { ApprovalMetrics } from '../metrics/approval-metrics';
import { ApprovalStore } from '../store/approval-store';
import { SlaClocks } from './sla-clocks';

export type Decided = Extract<Decision, { ok: true }>;

/**
 * How every writer changes a case: with the case file loaded under its lock, `decide` on the
 * deciding department's policy, then the changes and the events in the caller's transaction and
 * the metrics once it committed. A refusal writes nothing and is returned to the caller.
 */
@Injectable()
export class CaseWorkflow {
  constructor(
    private readonly store: ApprovalStore,
    private readonly clocks: SlaClocks,
    private readonly metrics: ApprovalMetrics,
    private readonly reference: ReferenceData,
  ) {}

  async apply(unit: TransactionUnit, file: CaseFile, action: CaseAction): Promise<Decision> {
    const department =
      action.type === 'route'
        ? action.assignments.find((assignment) => assignment.role === 'primary')?.departmentId
        : file.case?.clockDepartmentId;
    const decision = decide(file, action, this.clocks.policyFor(department ?? ''));
    if (!decision.ok) return decision;
    await this.store.apply(unit.manager, decision.changes);
    await unit.publish(decision.events);
    unit.afterCommit(() => this.metrics.record(file, decision));
    return decision;
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
    const seq = await this.store.nextDocumentNumber(manager, departmentId, day);
    const itemName = this.reference.item(itemCode)?.name ?? itemCode;
    return {
      number: `${departmentId}-${day.replace(/-/g, '')}-${String(seq).padStart(5, '0')}`,
      title: `${itemName} 准予办理决定书`.slice(0, 200),
      departmentId,
      issuedAt: at.toISOString(),
      ...metadata,
    };
  }
}
