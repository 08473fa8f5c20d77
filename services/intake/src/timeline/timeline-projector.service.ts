import { Injectable } from '@nestjs/common';
import type { TongbanEvent } from '@tongban/contracts';
import type { EntityManager } from 'typeorm';
import { project } from './timeline.projection';

/** Writes an event into the case timeline and the case's status, in the consumer's transaction. */
@Injectable()
export class TimelineProjector {
  async apply(manager: EntityManager, event: TongbanEvent): Promise<void> {
    const { entry, status, sla } = project(event);
    await manager.query(
      `INSERT INTO case_timeline
         (case_id, event_id, event_type, stage, occurred_at, office_id, department_id, actor_role, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        event.caseId,
        event.eventId,
        event.type,
        entry.stage,
        event.occurredAt,
        entry.officeId ?? null,
        entry.departmentId ?? null,
        entry.actorRole ?? null,
        JSON.stringify(entry.detail),
      ],
    );
    if (status) {
      // Events of one case arrive in order per topic but not across topics: a late event must not
      // move the status back, so the status follows the newest event by its own time.
      await manager.query(
        `UPDATE cases SET status = $2, status_at = $3, updated_at = now() WHERE id = $1 AND status_at <= $3`,
        [event.caseId, status, event.occurredAt],
      );
    }
    if (sla) {
      // The deadline follows the newest event that tells it, whichever topic it came from.
      await manager.query(
        `UPDATE cases SET sla_due_at = $2, sla_paused = $3, sla_due_at_as_of = $4, updated_at = now()
          WHERE id = $1 AND (sla_due_at_as_of IS NULL OR sla_due_at_as_of <= $4)`,
        [event.caseId, sla.dueAt, sla.paused, event.occurredAt],
      );
    }
    if (event.type === 'case.supplement-requested') {
      const p = event.payload;
      await manager.query(
        `INSERT INTO supplement_requests (request_id, case_id, department_id, round, items, due_at, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO NOTHING`,
        [
          p.requestId,
          event.caseId,
          p.departmentId,
          p.round,
          JSON.stringify(p.items),
          p.dueAt ?? null,
          event.occurredAt,
        ],
      );
    }
  }
}
