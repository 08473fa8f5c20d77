import { Injectable } from '@nestjs/common';
import type { TongbanEvent } from '@tongban/contracts';
import type { Queryable } from '@tongban/database';
import { promisedDueAt, ReferenceData } from '@tongban/reference-data';
import { project } from './timeline.projection';
import { TimelineStore } from './timeline-store';

/** Writes an event into the case timeline and the case's status, in the consumer's transaction. */
@Injectable()
export class TimelineProjector {
  constructor(
    private readonly store: TimelineStore,
    private readonly reference: ReferenceData,
  ) {}

  async apply(db: Queryable, event: TongbanEvent): Promise<void> {
    const { entry, status, sla } = project(event);
    const occurredAt = new Date(event.occurredAt);
    await this.store.addEntry(db, {
      case_id: event.caseId,
      event_id: event.eventId,
      event_type: event.type,
      stage: entry.stage,
      occurred_at: occurredAt,
      office_id: entry.officeId ?? null,
      department_id: entry.departmentId ?? null,
      actor_role: entry.actorRole ?? null,
      detail: entry.detail,
    });
    if (status) await this.store.setStatus(db, event.caseId, status, occurredAt);
    if (sla) {
      await this.store.setSla(
        db,
        event.caseId,
        { dueAt: new Date(sla.dueAt), paused: sla.paused },
        occurredAt,
      );
      if (event.type === 'case.routed') {
        const primary = event.payload.assignments.find((assignment) => assignment.role === 'primary');
        if (primary)
          await this.store.startPromise(db, event.caseId, primary.departmentId, new Date(sla.dueAt));
      }
      await this.followPromise(db, event.caseId);
    }
    if (event.type === 'case.supplement-requested') {
      const p = event.payload;
      await this.store.addSupplementRequest(db, {
        request_id: p.requestId,
        case_id: event.caseId,
        department_id: p.departmentId,
        round: p.round,
        items: p.items,
        due_at: p.dueAt ? new Date(p.dueAt) : null,
        requested_at: occurredAt,
      });
    }
  }

  /** 承诺时限 follows the legal deadline as it now stands (promisedDueAt in libs/reference-data). */
  private async followPromise(db: Queryable, caseId: string): Promise<void> {
    const facts = await this.store.promiseFacts(db, caseId);
    const item = facts && this.reference.item(facts.item_code);
    if (
      !facts?.promise_department_id ||
      !facts.promise_first_due_at ||
      !facts.sla_due_at ||
      !item ||
      !this.reference.department(facts.promise_department_id)
    )
      return;
    await this.store.setPromisedDue(
      db,
      caseId,
      promisedDueAt(
        facts.receipt_number,
        item.timeLimits.promisedDays,
        { firstDueAt: facts.promise_first_due_at, dueAt: facts.sla_due_at },
        this.reference.calendarForDepartment(facts.promise_department_id),
      ),
    );
  }
}
