import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { inTransaction, type TransactionUnit } from '@tongban/messaging';
import type { DataSource } from 'typeorm';
import { type ReportRow, reports } from '../database/supervision-tables';
import type { RectificationLine } from './report-workbook';
import type { ReportKind } from './report-periods';

/** The listing's columns: everything but the documents themselves. */
const LISTED = 'id, kind, period_from, period_to, trigger, requested_by, generated_at, summary';
export type ListedReport = Pick<
  ReportRow,
  'id' | 'kind' | 'period_from' | 'period_to' | 'trigger' | 'requested_by' | 'generated_at' | 'summary'
>;

// Any constant shared by every instance: the schedule's lock, one holder across the database.
const SCHEDULE_LOCK = 'tongban:supervision:report-schedule';

@Injectable()
export class ReportStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<Result>(work: (unit: TransactionUnit) => Promise<Result>): Promise<Result> {
    return inTransaction(this.dataSource, work);
  }

  /** The schedule's lock for this transaction, or false when another instance holds it. */
  async trySchedulingLock(manager: Queryable): Promise<boolean> {
    const row = await queryOne<{ locked: boolean }>(
      manager,
      `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
      [SCHEDULE_LOCK],
    );
    return row?.locked === true;
  }

  async scheduledExists(manager: Queryable, kind: ReportKind, from: string): Promise<boolean> {
    const row = await queryOne<{ id: string }>(
      manager,
      `SELECT id FROM reports WHERE trigger = 'schedule' AND kind = $1 AND period_from = $2`,
      [kind, from],
    );
    return row !== undefined;
  }

  async add(manager: Queryable, row: ReportRow): Promise<void> {
    const columns = Object.keys(reports.columns) as (keyof ReportRow)[];
    await execute(
      manager,
      `INSERT INTO reports (${reports.columnList}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      columns.map((column) => (column === 'summary' ? JSON.stringify(row.summary) : row[column])),
    );
  }

  list(kind: ReportKind | undefined, limit: number): Promise<ListedReport[]> {
    return query<ListedReport>(
      this.dataSource,
      `SELECT ${LISTED} FROM reports WHERE ($1::text IS NULL OR kind = $1) ORDER BY generated_at DESC, id LIMIT $2`,
      [kind ?? null, limit],
    );
  }

  find(id: string): Promise<ReportRow | undefined> {
    return queryOne<ReportRow>(this.dataSource, `SELECT ${reports.columnList} FROM reports WHERE id = $1`, [
      id,
    ]);
  }

  /** The 差评 rectifications opened in a period, for its report. */
  rectificationsOpened(start: Date, end: Date): Promise<RectificationLine[]> {
    return query<RectificationLine>(
      this.dataSource,
      `SELECT COALESCE(f.receipt_number, x.case_id::text) AS "receiptNumber", x.stage, r.level,
              x.office_id AS "officeId", COALESCE(x.owner_sub, x.owner_role) AS owner, x.state,
              x.opened_at AS "openedAt", x.due_at AS "dueAt", x.closed_at AS "closedAt"
         FROM rectifications x JOIN ratings r ON r.id = x.rating_id
         LEFT JOIN case_facts f ON f.case_id = x.case_id
        WHERE x.opened_at >= $1 AND x.opened_at < $2
        ORDER BY x.opened_at, x.id`,
      [start, end],
    );
  }
}
