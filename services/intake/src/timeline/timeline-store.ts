import { Injectable } from '@nestjs/common';
import type { CaseState } from '@tongban/contracts';
import { execute, type Queryable, queryOne } from '@tongban/database';
import type { CaseRecord, CaseTimelineRow, SupplementRequestRow } from '../database/intake-tables';

export type TimelineEntryRow = Omit<CaseTimelineRow, 'id'>;

/** All of the timeline projection's SQL, written in the consumer's transaction. */
@Injectable()
export class TimelineStore {
  /** An event seen before (its id) adds nothing. */
  async addEntry(db: Queryable, entry: TimelineEntryRow): Promise<void> {
    await execute(
      db,
      `INSERT INTO case_timeline
         (case_id, event_id, event_type, stage, occurred_at, office_id, department_id, actor_role, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        entry.case_id,
        entry.event_id,
        entry.event_type,
        entry.stage,
        entry.occurred_at,
        entry.office_id,
        entry.department_id,
        entry.actor_role,
        JSON.stringify(entry.detail),
      ],
    );
  }

  /**
   * Events of one case arrive in order per topic but not across topics: a late event must not
   * move the status back, so the status follows the newest event by its own time.
   */
  async setStatus(db: Queryable, caseId: string, status: CaseState, at: Date): Promise<void> {
    await execute(
      db,
      `UPDATE cases SET status = $2, status_at = $3, updated_at = now() WHERE id = $1 AND status_at <= $3`,
      [caseId, status, at],
    );
  }

  /** The deadline follows the newest event that tells it, whichever topic it came from. */
  async setSla(
    db: Queryable,
    caseId: string,
    sla: { readonly dueAt: Date; readonly paused: boolean },
    asOf: Date,
  ): Promise<void> {
    await execute(
      db,
      `UPDATE cases SET sla_due_at = $2, sla_paused = $3, sla_due_at_as_of = $4, updated_at = now()
        WHERE id = $1 AND (sla_due_at_as_of IS NULL OR sla_due_at_as_of <= $4)`,
      [caseId, sla.dueAt, sla.paused, asOf],
    );
  }

  /** A request seen before (its id) adds nothing. */
  async addSupplementRequest(
    db: Queryable,
    request: Omit<SupplementRequestRow, 'answered_at'>,
  ): Promise<void> {
    await execute(
      db,
      `INSERT INTO supplement_requests (request_id, case_id, department_id, round, items, due_at, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO NOTHING`,
      [
        request.request_id,
        request.case_id,
        request.department_id,
        request.round,
        JSON.stringify(request.items),
        request.due_at,
        request.requested_at,
      ],
    );
  }

  /** The deciding department and the first legal deadline, from which the promised one is kept. */
  async startPromise(db: Queryable, caseId: string, departmentId: string, firstDueAt: Date): Promise<void> {
    await execute(
      db,
      `UPDATE cases SET promise_department_id = $2, promise_first_due_at = $3, updated_at = now() WHERE id = $1`,
      [caseId, departmentId, firstDueAt],
    );
  }

  promiseFacts(db: Queryable, caseId: string) {
    return queryOne<
      Pick<
        CaseRecord,
        'receipt_number' | 'item_code' | 'sla_due_at' | 'promise_department_id' | 'promise_first_due_at'
      >
    >(
      db,
      `SELECT receipt_number, item_code, sla_due_at, promise_department_id, promise_first_due_at FROM cases WHERE id = $1`,
      [caseId],
    );
  }

  async setPromisedDue(db: Queryable, caseId: string, dueAt: Date | null): Promise<void> {
    await execute(db, `UPDATE cases SET promised_due_at = $2 WHERE id = $1`, [caseId, dueAt]);
  }
}
