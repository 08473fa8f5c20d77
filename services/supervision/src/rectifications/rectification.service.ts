import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { type Actor, AuditTrail } from '@tongban/auth';
import { createEvent } from '@tongban/contracts';
import { localDateOf } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { CaseFactStore } from '../cases/case-fact-store';
import type { RectificationRow } from '../database/supervision-tables';
import { SupervisionMetrics } from '../metrics/supervision-metrics';
import { RatingStore } from '../ratings/rating-store';
import {
  type RectificationAction,
  RectificationRefusal,
  type RectificationState,
  transition,
} from './rectification-machine';

/** A rectification as the API shows it. */
export function rectificationView(row: RectificationRow, now: Date) {
  return {
    id: row.id,
    ratingId: row.rating_id,
    caseId: row.case_id,
    stage: row.stage,
    state: row.state,
    officeId: row.office_id,
    departmentId: row.department_id,
    courierId: row.courier_id,
    owner: { sub: row.owner_sub, role: row.owner_role },
    openedAt: row.opened_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    overdue: row.closed_at === null && row.state !== 'appealed' && row.due_at < now,
    visit: row.visited_at ? { at: row.visited_at.toISOString(), note: row.visit_note } : null,
    verification: row.verified_at ? { at: row.verified_at.toISOString(), note: row.verification_note } : null,
    rectification: row.rectified_at
      ? { at: row.rectified_at.toISOString(), kind: row.rectification, note: row.rectification_note }
      : null,
    appeal: row.appealed_at
      ? {
          at: row.appealed_at.toISOString(),
          reason: row.appeal_reason,
          decision: row.appeal_decision,
          decidedAt: row.appeal_decided_at?.toISOString() ?? null,
          decidedBy: row.appeal_decided_by,
          note: row.appeal_note,
        }
      : null,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

/**
 * Drives a rectification through its state machine in one transaction: the change, the audit
 * entry and, when it ends, the feedback event to the rater (outbox) commit together.
 */
@Injectable()
export class RectificationService {
  constructor(
    private readonly store: RatingStore,
    private readonly facts: CaseFactStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly metrics: SupervisionMetrics,
  ) {}

  async act(actor: Actor, id: string, action: RectificationAction) {
    const now = this.clock.now();
    const row = await this.store.transaction(async (unit) => {
      const current = await this.store.rectification(id, actor, unit.manager);
      if (!current) throw new NotFoundException();
      const change = this.decide(current, action, actor, now);
      const changed = await this.store.changeRectification(unit.manager, id, change.state, change.set);
      await this.audit.record(unit.manager, {
        actor,
        action: `rectification.${action.kind}`,
        objectType: 'rectification',
        objectId: id,
        result: 'succeeded',
        detail: { from: current.state, to: change.state },
      });
      if (change.feedback) {
        const rating = await this.store.rating(current.rating_id, unit.manager);
        const facts = await this.facts.find(current.case_id, unit.manager);
        if (!rating || !facts?.receipt_number) throw new Error(`rectification ${id} lost its rating or case`);
        if (change.state === 'withdrawn') await this.store.withdrawRating(unit.manager, rating.id, now);
        await unit.publish(
          createEvent({
            type: 'case.rating-feedback',
            caseId: current.case_id,
            producer: 'supervision',
            occurredAt: now,
            payload: {
              ratingId: rating.id,
              rectificationId: id,
              stage: rating.stage,
              level: rating.level,
              outcome: change.feedback.outcome,
              note: change.feedback.note,
              receiptNumber: facts.receipt_number,
              itemCode: rating.item_code,
              officeId: rating.office_id,
              ...(rating.department_id ? { departmentId: rating.department_id } : {}),
              openedAt: current.opened_at.toISOString(),
              fedBackAt: now.toISOString(),
            },
          }),
        );
        const outcome = change.feedback.outcome;
        unit.afterCommit(() => this.metrics.feedback.inc({ outcome }));
      }
      return changed;
    });
    return rectificationView(row, now);
  }

  async view(actor: Actor, id: string) {
    const row = await this.store.rectification(id, actor);
    if (!row) throw new NotFoundException();
    return rectificationView(row, this.clock.now());
  }

  async list(
    actor: Actor,
    filter: { state?: RectificationState; overdue?: boolean; caseId?: string; limit: number },
  ) {
    const now = this.clock.now();
    const rows = await this.store.listRectifications(actor, {
      state: filter.state,
      overdueAt: filter.overdue ? now : undefined,
      caseId: filter.caseId,
      limit: filter.limit,
    });
    return { items: rows.map((row) => rectificationView(row, now)) };
  }

  private decide(row: RectificationRow, action: RectificationAction, actor: Actor, now: Date) {
    try {
      return transition(
        {
          state: row.state,
          ownerSub: row.owner_sub,
          ownerRole: row.owner_role,
          departmentId: row.department_id,
          visitedAt: row.visited_at,
          appealDecision: row.appeal_decision,
        },
        action,
        actor,
        now,
        (a, b) => localDateOf(a) === localDateOf(b),
      );
    } catch (error) {
      if (!(error instanceof RectificationRefusal)) throw error;
      throw new HttpException(
        {
          statusCode: error.status,
          error: error.status === 403 ? 'Forbidden' : 'Conflict',
          message: `${error.field}: ${error.reason}`,
          issues: [{ field: error.field, reason: error.reason }],
        },
        error.status,
      );
    }
  }
}
