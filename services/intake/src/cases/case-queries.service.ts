import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, actorScope, assertInScope } from '@tongban/auth';
import { CASE_STATES } from '@tongban/contracts';
import { encodeCursor } from '@tongban/runtime';
import type { DataSource } from 'typeorm';
import { CASE_COLUMNS, type CaseRow, type CaseView, caseView, officesOf } from './case-view';
import { type ListCasesQuery } from './list-cases.dto';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

// States in which the department's clock no longer runs: the decision and everything after it.
const DECIDED_OR_LATER = CASE_STATES.slice(CASE_STATES.indexOf('approved'));

export interface TimelineView {
  readonly stage: string;
  readonly at: string;
  readonly eventType: string;
  readonly officeId: string | null;
  readonly departmentId: string | null;
  readonly actorRole: string | null;
  readonly detail: Record<string, unknown>;
}

@Injectable()
export class CaseQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A case the actor may see; another office's case is a 404, exactly like a missing one. */
  async row(actor: Actor, caseId: string): Promise<CaseRow> {
    if (!UUID.test(caseId)) throw new NotFoundException();
    const [row] = (await this.dataSource.query(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1`, [
      caseId,
    ])) as CaseRow[];
    if (!row) throw new NotFoundException();
    assertInScope(actor, { officeId: officesOf(row) });
    return row;
  }

  async get(actor: Actor, caseId: string): Promise<CaseView> {
    return caseView(await this.row(actor, caseId));
  }

  async timeline(
    actor: Actor,
    caseId: string,
  ): Promise<{ caseId: string; status: string; slaDueAt: string | null; stages: TimelineView[] }> {
    const row = await this.row(actor, caseId);
    const entries = (await this.dataSource.query(
      `SELECT stage, occurred_at, event_type, office_id, department_id, actor_role, detail
         FROM case_timeline WHERE case_id = $1 ORDER BY occurred_at, id`,
      [caseId],
    )) as {
      stage: string;
      occurred_at: Date;
      event_type: string;
      office_id: string | null;
      department_id: string | null;
      actor_role: string | null;
      detail: Record<string, unknown>;
    }[];
    return {
      caseId,
      status: row.status,
      slaDueAt: row.sla_due_at?.toISOString() ?? null,
      stages: entries.map((entry) => ({
        stage: entry.stage,
        at: entry.occurred_at.toISOString(),
        eventType: entry.event_type,
        officeId: entry.office_id,
        departmentId: entry.department_id,
        actorRole: entry.actor_role,
        detail: entry.detail,
      })),
    };
  }

  /** Newest first, keyset-paginated on (submitted_at, id), always within the actor's scope. */
  async list(actor: Actor, query: ListCasesQuery): Promise<{ cases: CaseView[]; nextCursor: string | null }> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (sql: (param: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    const { officeId: scopeOffice } = actorScope(actor);
    if (scopeOffice)
      where((p) => `(office_id = ${p} OR snapshot->'delivery'->>'officeId' = ${p})`, scopeOffice);
    if (query.officeId) where((p) => `office_id = ${p}`, query.officeId);
    if (query.status) where((p) => `status = ${p}`, query.status);
    if (query.itemCode) where((p) => `item_code = ${p}`, query.itemCode);
    if (query.from) where((p) => `submitted_at >= ${p}`, query.from);
    if (query.to) where((p) => `submitted_at <= ${p}`, query.to);
    if (query.overdue !== undefined) {
      const overdue = `COALESCE(sla_due_at < now() AND NOT sla_paused AND status <> ALL($${values.length + 1}), false)`;
      values.push(DECIDED_OR_LATER);
      conditions.push(query.overdue ? overdue : `NOT ${overdue}`);
    }
    if (query.cursor) {
      const { cursor } = query;
      values.push(cursor.at, cursor.id);
      conditions.push(`(submitted_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(query.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT ${CASE_COLUMNS} FROM cases
        ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY submitted_at DESC, id DESC LIMIT $${values.length}`,
      values,
    )) as CaseRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      cases: page.map(caseView),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ at: last.submitted_at.toISOString(), id: last.id })
          : null,
    };
  }
}
