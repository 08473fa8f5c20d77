import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, actorScope } from '@tongban/auth';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { inTransaction, type TransactionUnit } from '@tongban/messaging';
import type { DataSource } from 'typeorm';
import {
  type PendingIntakeRatingRow,
  pendingIntakeRatings,
  type RatingRow,
  ratings,
  type RectificationRow,
  rectifications,
} from '../database/supervision-tables';
import type { RectificationState } from '../rectifications/rectification-machine';

/** Which rectifications to list, oldest due first. */
export interface RectificationListing {
  readonly state?: RectificationState;
  readonly overdueAt?: Date;
  readonly caseId?: string;
  readonly limit: number;
}

/**
 * A caller's scope as SQL over a table with office_id, department_id and courier_id: staff see
 * their office's, reviewers their department's, couriers their own; operators and admins all.
 */
export function scopeCondition(
  actor: Actor,
  alias: string,
  firstParam: number,
): { sql: string; params: unknown[] } {
  const scope = actorScope(actor);
  if (scope.officeId !== undefined)
    return { sql: `${alias}.office_id = $${firstParam}`, params: [scope.officeId] };
  if (scope.departmentId !== undefined)
    return { sql: `${alias}.department_id = $${firstParam}`, params: [scope.departmentId] };
  if (scope.courierId !== undefined)
    return { sql: `${alias}.courier_id = $${firstParam}`, params: [scope.courierId] };
  return { sql: 'TRUE', params: [] };
}

/** Ratings and their rectifications. */
@Injectable()
export class RatingStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<Result>(work: (unit: TransactionUnit) => Promise<Result>): Promise<Result> {
    return inTransaction(this.dataSource, work);
  }

  /** False when the case already has a rating for the stage. */
  async addRating(manager: Queryable, row: RatingRow): Promise<boolean> {
    const columns = Object.keys(ratings.columns) as (keyof RatingRow)[];
    const { count } = await execute(
      manager,
      `INSERT INTO ratings (${ratings.columnList}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (case_id, stage) DO NOTHING`,
      columns.map((column) => row[column]),
    );
    return count > 0;
  }

  async addRectification(manager: Queryable, row: RectificationRow): Promise<void> {
    const columns = Object.keys(rectifications.columns) as (keyof RectificationRow)[];
    await execute(
      manager,
      `INSERT INTO rectifications (${rectifications.columnList}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      columns.map((column) => row[column]),
    );
  }

  async holdIntakeRating(
    manager: Queryable,
    row: Omit<PendingIntakeRatingRow, 'received_at'>,
  ): Promise<void> {
    await execute(
      manager,
      `INSERT INTO pending_intake_ratings (case_id, score, comment, channel, rated_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING`,
      [row.case_id, row.score, row.comment, row.channel, row.rated_at],
    );
  }

  /** The held intake rating of a case, taken out of the table (in the caller's transaction). */
  async takeIntakeRating(manager: Queryable, caseId: string): Promise<PendingIntakeRatingRow | undefined> {
    const { rows } = await execute<PendingIntakeRatingRow>(
      manager,
      `DELETE FROM pending_intake_ratings WHERE case_id = $1 RETURNING ${pendingIntakeRatings.columnList}`,
      [caseId],
    );
    return rows[0];
  }

  ratingsOf(caseId: string, actor: Actor): Promise<RatingRow[]> {
    const scope = scopeCondition(actor, 'r', 2);
    return query<RatingRow>(
      this.dataSource,
      `SELECT ${ratings.columnsOf('r')} FROM ratings r WHERE r.case_id = $1 AND ${scope.sql} ORDER BY r.rated_at`,
      [caseId, ...scope.params],
    );
  }

  rating(id: string, db: Queryable = this.dataSource): Promise<RatingRow | undefined> {
    return queryOne<RatingRow>(db, `SELECT ${ratings.columnList} FROM ratings WHERE id = $1`, [id]);
  }

  async withdrawRating(manager: Queryable, id: string, at: Date): Promise<void> {
    await execute(manager, `UPDATE ratings SET withdrawn_at = $2 WHERE id = $1`, [id, at]);
  }

  /** A rectification in the caller's scope (none otherwise), locked when a manager is given. */
  rectification(id: string, actor: Actor, lockIn?: Queryable): Promise<RectificationRow | undefined> {
    const scope = scopeCondition(actor, 'x', 2);
    return queryOne<RectificationRow>(
      lockIn ?? this.dataSource,
      `SELECT ${rectifications.columnsOf('x')} FROM rectifications x WHERE x.id = $1 AND ${scope.sql}${lockIn ? ' FOR UPDATE' : ''}`,
      [id, ...scope.params],
    );
  }

  listRectifications(actor: Actor, listing: RectificationListing): Promise<RectificationRow[]> {
    const scope = scopeCondition(actor, 'x', 5);
    return query<RectificationRow>(
      this.dataSource,
      `SELECT ${rectifications.columnsOf('x')} FROM rectifications x
        WHERE ($1::text IS NULL OR x.state = $1)
          AND ($2::timestamptz IS NULL OR (x.closed_at IS NULL AND x.state <> 'appealed' AND x.due_at < $2))
          AND ($3::uuid IS NULL OR x.case_id = $3)
          AND ${scope.sql}
        ORDER BY x.due_at, x.id LIMIT $4`,
      [
        listing.state ?? null,
        listing.overdueAt ?? null,
        listing.caseId ?? null,
        listing.limit,
        ...scope.params,
      ],
    );
  }

  async changeRectification(
    manager: Queryable,
    id: string,
    state: RectificationState,
    set: Readonly<Record<string, string | Date | null>>,
  ): Promise<RectificationRow> {
    const names = Object.keys(set);
    for (const name of names)
      if (!(name in rectifications.columns)) throw new Error(`rectifications has no column ${name}`);
    const { rows } = await execute<RectificationRow>(
      manager,
      `UPDATE rectifications SET state = $2${names.map((name, i) => `, ${name} = $${i + 3}`).join('')}
        WHERE id = $1 RETURNING ${rectifications.columnList}`,
      [id, state, ...names.map((name) => set[name])],
    );
    const [row] = rows;
    if (!row) throw new Error(`rectification ${id} vanished inside its transaction`);
    return row;
  }
}
