import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@tongban/contracts';
import type { HandlerUnit } from '@tongban/messaging';
import { ReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import type { ResultDocument } from '../domain/approval-case';
import { evaluateAutoApproval } from '../domain/auto-approval';
import { must } from '../domain/must';
import { ApprovalStore } from '../store/approval-store';
import { CaseWorkflow } from '../workflow/case-workflow';

/** What approval does with the events it consumes; each runs in the inbox transaction. */
@Injectable()
export class ApprovalInbox {
  private readonly logger = new Logger(ApprovalInbox.name);

  constructor(
    private readonly store: ApprovalStore,
    private readonly workflow: CaseWorkflow,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
  ) {}

  /**
   * A routed case becomes one work item per assigned department (primary and 并联 parallel); a
   * re-route supersedes the current routing. 秒批 items whose checks pass are decided here, so
   * their document number is issued before the decision.
   */
  async onRouted(event: EventOf<'case.routed'>, unit: HandlerUnit): Promise<void> {
    const payload = event.payload;
    const at = this.clock.now();
    const file = await this.store.lockCase(unit.manager, event.caseId);
    const ref = this.reference;
    const auto = evaluateAutoApproval(ref.item(payload.case.itemCode), payload.case, at, (code, region) =>
      ref.isWithin(code, region),
    );
    const applies =
      file.case?.routingId !== payload.routingId && (file.case?.state ?? 'in_review') === 'in_review';
    let document: ResultDocument | undefined;
    if (applies && auto.eligible && auto.passed) {
      const primary = must(
        payload.assignments.find((assignment) => assignment.role === 'primary'),
        'the primary assignment',
      );
      document = await this.workflow.issueDocument(
        unit.manager,
        primary.departmentId,
        payload.case.itemCode,
        at,
      );
    }
    const decision = await this.workflow.apply(unit, file, {
      type: 'route',
      caseId: event.caseId,
      routingId: payload.routingId,
      snapshot: payload.case,
      assignments: payload.assignments,
      timeLimitDays: payload.timeLimitDays,
      slaDueAt: new Date(payload.slaDueAt),
      routedAt: new Date(event.occurredAt),
      itemIds: payload.assignments.map(() => randomUUID()),
      auto,
      ...(document ? { document } : {}),
      at,
    });
    if (decision.ok && decision.ignored && file.case?.routingId !== payload.routingId)
      this.logger.warn({
        msg: `case.routed ignored: ${decision.ignored}`,
        caseId: event.caseId,
        routingId: payload.routingId,
      });
    if (document && decision.ok)
      this.logger.log({
        msg: '秒批: decided without a human step',
        caseId: event.caseId,
        itemCode: payload.case.itemCode,
      });
  }

  /**
   * The applicant answered a supplement request: the request is closed with the materials handed
   * in (later rounds may ask only about those), the snapshot takes them, the department's item is
   * back in its queue and the case clock resumes with the working time it had left.
   */
  async onSupplemented(event: EventOf<'case.supplemented'>, unit: HandlerUnit): Promise<void> {
    const file = await this.store.lockCase(unit.manager, event.caseId);
    const request = file.case
      ? await this.store.lockRequest(unit.manager, event.caseId, event.payload.requestId)
      : undefined;
    const decision = await this.workflow.apply(unit, file, {
      type: 'supplement',
      request,
      materials: event.payload.materials,
      answeredAt: new Date(event.occurredAt),
      at: this.clock.now(),
    });
    if (decision.ok && decision.ignored)
      this.logger.warn({
        msg: `${decision.ignored}; ignored`,
        caseId: event.caseId,
        requestId: event.payload.requestId,
      });
  }
}
