import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, actorScope, assertInScope } from '@tongban/auth';
import { decodeCursor, encodeCursor, invalidRequest } from '@tongban/runtime';
import type { DataSource } from 'typeorm';
import { type ListWorkItemsQuery } from './work-item.dto';
import {
  caseDetailView,
  QUEUE_COLUMNS,
  type QueueRow,
  workItemView,
  type WorkItemView,
} from './work-item-view';

export const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

@Injectable()
export class WorkItemQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The department's queue, most urgent first: keyset-paginated on (due time, id). A reviewer
   * sees only the department's items; operators and admins see every department.
   */
  async list(
    actor: Actor,
    query: ListWorkItemsQuery,
  ): Promise<{ items: WorkItemView[]; nextCursor: string | null }> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const scope = actorScope(actor);
    if (actor.role === 'reviewer') conditions.push(`w.department_id = ${param(scope.departmentId)}`);
    else if (actor.role !== 'operator' && actor.role !== 'admin') conditions.push('FALSE');
    conditions.push(
      query.state ? `w.state = ${param(query.state)}` : `w.state IN ('open', 'supplement_requested')`,
    );
    if (query.itemCode) conditions.push(`w.item_code = ${param(query.itemCode)}`);
    const running = `w.state IN ('open', 'supplement_requested') AND c.paused_at IS NULL`;
    if (query.overdue !== undefined)
      conditions.push(
        query.overdue ? `(${running} AND c.due_at <= now())` : `NOT (${running} AND c.due_at <= now())`,
      );
    if (query.dueSoon !== undefined) {
      const soon = `(${running} AND c.warn_at <= now() AND c.due_at > now())`;
      conditions.push(query.dueSoon ? soon : `NOT ${soon}`);
    }
    if (query.escalated !== undefined)
      conditions.push(query.escalated ? 'w.escalated_at IS NOT NULL' : 'w.escalated_at IS NULL');
    if (query.mine) conditions.push(`w.claimed_by = ${param(actor.sub)}`);
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      if (!cursor) throw invalidRequest([{ field: 'cursor', reason: 'is not a cursor of this list' }]);
      conditions.push(`(c.due_at, w.id) > (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const rows = (await this.dataSource.query(
      `SELECT ${QUEUE_COLUMNS} FROM work_items w JOIN approval_cases c ON c.case_id = w.case_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY c.due_at, w.id LIMIT ${query.limit + 1}`,
      values,
    )) as QueueRow[];
    const now = new Date();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => workItemView(row, now)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ at: last.due_at.toISOString(), id: last.id })
          : null,
    };
  }

  /** One item with its case and supplement history; another department's item is a 404. */
  async get(actor: Actor, id: string) {
    const row = await this.row(actor, id);
    const requests = (await this.dataSource.query(
      `SELECT request_id, department_id, round, items, requested_by, requested_at, due_at, answered_at,
              answered_materials, withdrawn_at
         FROM supplement_requests WHERE case_id = $1 ORDER BY round`,
      [row.case_id],
    )) as {
      request_id: string;
      department_id: string;
      round: number;
      items: unknown[];
      requested_by: unknown;
      requested_at: Date;
      due_at: Date | null;
      answered_at: Date | null;
      answered_materials: string[] | null;
      withdrawn_at: Date | null;
    }[];
    return {
      ...workItemView(row, new Date()),
      case: caseDetailView(row.snapshot),
      supplementRequests: requests.map((request) => ({
        requestId: request.request_id,
        departmentId: request.department_id,
        round: request.round,
        items: request.items,
        requestedBy: request.requested_by,
        requestedAt: request.requested_at.toISOString(),
        dueAt: request.due_at?.toISOString() ?? null,
        answeredAt: request.answered_at?.toISOString() ?? null,
        answeredMaterials: request.answered_materials,
        withdrawnAt: request.withdrawn_at?.toISOString() ?? null,
      })),
    };
  }

  async row(actor: Actor, id: string): Promise<QueueRow> {
    if (!UUID.test(id)) throw new NotFoundException();
    const [row] = (await this.dataSource.query(
      `SELECT ${QUEUE_COLUMNS} FROM work_items w JOIN approval_cases c ON c.case_id = w.case_id WHERE w.id = $1`,
      [id],
    )) as QueueRow[];
    if (!row) throw new NotFoundException();
    assertInScope(actor, { departmentId: row.department_id });
    return row;
  }
}
