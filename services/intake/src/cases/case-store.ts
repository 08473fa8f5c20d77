import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CaseSnapshot, CaseState } from '@tongban/contracts';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { inTransaction, type TransactionUnit } from '@tongban/messaging';
import type { DataSource } from 'typeorm';
import {
  type CaseRecord,
  type CaseTimelineRow,
  type IdempotencyKeyRow,
  type RatingRow,
  type ReceiptSequenceRow,
  type SupplementRequestRow,
} from '../database/intake-tables';

/**
 * The case columns staff-facing reads need: masked identifiers only, never the ciphertext or the
 * lookup hashes, which stay in the database.
 */
const CASE_VIEW_COLUMNS = [
  'id',
  'receipt_number',
  'item_code',
  'office_id',
  'office_district',
  'applicant_kind',
  'applicant_name',
  'id_number_masked',
  'phone_masked',
  'snapshot',
  'status',
  'status_at',
  'supplement_due_at',
  'sla_due_at',
  'rongque_expired_at',
  'promised_due_at',
  'assistance',
  'submitted_by',
  'submitted_at',
] as const satisfies readonly (keyof CaseRecord)[];
const CASE_COLUMNS = CASE_VIEW_COLUMNS.join(', ');

export type CaseRow = Pick<CaseRecord, (typeof CASE_VIEW_COLUMNS)[number]>;

/** A new case: every column but those the database or later events fill. */
export type NewCase = Omit<
  CaseRecord,
  | 'updated_at'
  | 'sla_due_at'
  | 'sla_due_at_as_of'
  | 'sla_paused'
  | 'rongque_expired_at'
  | 'rongque_reminded_at'
  | 'promised_due_at'
  | 'promise_department_id'
  | 'promise_first_due_at'
>;

export type TimelineEntry = Omit<CaseTimelineRow, 'id' | 'case_id' | 'event_id'>;

export type OpenRequest = Pick<SupplementRequestRow, 'request_id' | 'department_id' | 'round' | 'items'>;
export type OpenSupplementRequest = OpenRequest & Pick<SupplementRequestRow, 'due_at' | 'requested_at'>;

/** Which cases to list, newest first, keyset-paginated on (submitted_at, id). */
export interface CaseListing {
  /** The caller's office: the cases it accepted and those chosen for pickup there (通取). */
  readonly scopeOfficeId?: string;
  readonly officeId?: string;
  readonly status?: CaseState;
  readonly itemCode?: string;
  /** Staff search (POST /cases/search): the receipt number, the applicant's ID lookup hash or name. */
  readonly receiptNumber?: string;
  readonly idNumberHash?: string;
  readonly applicantName?: string;
  readonly from?: string;
  readonly to?: string;
  /** Overdue: past the due time at `now`, the clock running, the case not yet decided. */
  readonly overdue?: {
    readonly wanted: boolean;
    readonly now: Date;
    readonly decidedStates: readonly CaseState[];
  };
  /** 承诺时限 broken: past the promised due time at `now`, the clock running, not yet decided. */
  readonly promiseBroken?: {
    readonly wanted: boolean;
    readonly now: Date;
    readonly decidedStates: readonly CaseState[];
  };
  readonly after?: { readonly at: string; readonly id: string };
  readonly limit: number;
}

/** All of intake's case SQL: cases, receipt numbers, idempotency answers, supplements, ratings. */
@Injectable()
export class CaseStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A transaction with post-commit work (metrics). */
  transaction<Result>(work: (unit: TransactionUnit) => Promise<Result>): Promise<Result> {
    return inTransaction(this.dataSource, work);
  }

  find(caseId: string): Promise<CaseRow | undefined> {
    return queryOne<CaseRow>(this.dataSource, `SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1`, [caseId]);
  }

  lock(db: Queryable, caseId: string): Promise<CaseRow | undefined> {
    return queryOne<CaseRow>(db, `SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
  }

  /**
   * The case of a receipt and phone ending; a wrong one of either finds nothing. Locked when read
   * in the caller's transaction (`lockIn`).
   */
  findByProof(receipt: string, phoneLast4: string, lockIn?: Queryable): Promise<CaseRow | undefined> {
    return queryOne<CaseRow>(
      lockIn ?? this.dataSource,
      `SELECT ${CASE_COLUMNS} FROM cases WHERE receipt_number = $1 AND right(phone_masked, 4) = $2${lockIn ? ' FOR UPDATE' : ''}`,
      [receipt, phoneLast4],
    );
  }

  async caseIdOfReceipt(receipt: string): Promise<string | undefined> {
    const row = await queryOne<Pick<CaseRecord, 'id'>>(
      this.dataSource,
      `SELECT id FROM cases WHERE receipt_number = $1`,
      [receipt],
    );
    return row?.id;
  }

  list(listing: CaseListing): Promise<CaseRow[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (sql: (param: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    if (listing.scopeOfficeId)
      where((p) => `(office_id = ${p} OR snapshot->'delivery'->>'officeId' = ${p})`, listing.scopeOfficeId);
    if (listing.officeId) where((p) => `office_id = ${p}`, listing.officeId);
    if (listing.status) where((p) => `status = ${p}`, listing.status);
    if (listing.itemCode) where((p) => `item_code = ${p}`, listing.itemCode);
    if (listing.receiptNumber) where((p) => `receipt_number = ${p}`, listing.receiptNumber);
    if (listing.idNumberHash) where((p) => `id_number_hash = ${p}`, listing.idNumberHash);
    if (listing.applicantName) where((p) => `applicant_name = ${p}`, listing.applicantName);
    if (listing.from) where((p) => `submitted_at >= ${p}`, listing.from);
    if (listing.to) where((p) => `submitted_at <= ${p}`, listing.to);
    if (listing.overdue) {
      values.push(listing.overdue.now, listing.overdue.decidedStates);
      const overdue = `COALESCE(sla_due_at < $${values.length - 1} AND NOT sla_paused AND status <> ALL($${values.length}), false)`;
      conditions.push(listing.overdue.wanted ? overdue : `NOT ${overdue}`);
    }
    if (listing.promiseBroken) {
      values.push(listing.promiseBroken.now, listing.promiseBroken.decidedStates);
      const broken = `COALESCE(promised_due_at < $${values.length - 1} AND NOT sla_paused AND status <> ALL($${values.length}), false)`;
      conditions.push(listing.promiseBroken.wanted ? broken : `NOT ${broken}`);
    }
    if (listing.after) {
      values.push(listing.after.at, listing.after.id);
      conditions.push(`(submitted_at, id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(listing.limit);
    return query<CaseRow>(
      this.dataSource,
      `SELECT ${CASE_COLUMNS} FROM cases
        ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY submitted_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
  }

  timeline(caseId: string): Promise<TimelineEntry[]> {
    return query<TimelineEntry>(
      this.dataSource,
      `SELECT stage, occurred_at, event_type, office_id, department_id, actor_role, detail
         FROM case_timeline WHERE case_id = $1 ORDER BY occurred_at, id`,
      [caseId],
    );
  }

  /** The office's next receipt sequence of the day, allocated under the row's lock. */
  async nextReceiptSequence(db: Queryable, officeId: string, day: string): Promise<number> {
    const { rows } = await execute<Pick<ReceiptSequenceRow, 'last_seq'>>(
      db,
      `INSERT INTO receipt_sequences (office_id, day, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (office_id, day) DO UPDATE SET last_seq = receipt_sequences.last_seq + 1
       RETURNING last_seq`,
      [officeId, day],
    );
    const [row] = rows;
    if (!row) throw new Error('receipt sequence allocation returned no row');
    return row.last_seq;
  }

  async insert(db: Queryable, row: NewCase): Promise<void> {
    const names = Object.keys(row) as (keyof NewCase)[];
    await execute(
      db,
      `INSERT INTO cases (${names.join(', ')}) VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')})`,
      names.map((name) =>
        name === 'snapshot' || name === 'assistance' ? JSON.stringify(row[name]) : row[name],
      ),
    );
  }

  async setSnapshot(db: Queryable, caseId: string, snapshot: CaseSnapshot): Promise<void> {
    await execute(db, `UPDATE cases SET snapshot = $2, updated_at = now() WHERE id = $1`, [
      caseId,
      JSON.stringify(snapshot),
    ]);
  }

  /** The answer stored under the caller's key; read in the caller's transaction when given one. */
  idempotencyKey(
    db: Queryable | undefined,
    actorSub: string,
    key: string,
  ): Promise<Pick<IdempotencyKeyRow, 'request_hash' | 'case_id' | 'response'> | undefined> {
    return queryOne(
      db ?? this.dataSource,
      'SELECT request_hash, case_id, response FROM idempotency_keys WHERE actor_sub = $1 AND key = $2',
      [actorSub, key],
    );
  }

  /** A concurrent request with the same key blocks here until this one commits. */
  async storeIdempotencyKey(db: Queryable, row: Omit<IdempotencyKeyRow, 'created_at'>): Promise<void> {
    await execute(
      db,
      `INSERT INTO idempotency_keys (actor_sub, key, request_hash, case_id, response) VALUES ($1, $2, $3, $4, $5)`,
      [row.actor_sub, row.key, row.request_hash, row.case_id, JSON.stringify(row.response)],
    );
  }

  /**
   * Cases whose 容缺 deadline passed with materials still missing and no expiry recorded, locked;
   * rows another instance holds are skipped (it fires them).
   */
  lockExpiredRongque(db: Queryable, now: Date, limit: number): Promise<CaseRow[]> {
    return query<CaseRow>(
      db,
      `SELECT ${CASE_COLUMNS} FROM cases
        WHERE supplement_due_at <= $1 AND rongque_expired_at IS NULL
          AND jsonb_array_length(snapshot->'missingMaterials') > 0
        ORDER BY supplement_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  /** Cases whose 容缺 deadline is within `before` of `now`, materials missing, not yet reminded; locked. */
  lockRongqueToRemind(db: Queryable, now: Date, before: Date, limit: number): Promise<CaseRow[]> {
    return query<CaseRow>(
      db,
      `SELECT ${CASE_COLUMNS} FROM cases
        WHERE supplement_due_at > $1 AND supplement_due_at <= $2 AND rongque_reminded_at IS NULL
          AND jsonb_array_length(snapshot->'missingMaterials') > 0
        ORDER BY supplement_due_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, before, limit],
    );
  }

  async markRongqueReminded(db: Queryable, caseId: string, at: Date): Promise<void> {
    await execute(db, `UPDATE cases SET rongque_reminded_at = $2, updated_at = now() WHERE id = $1`, [
      caseId,
      at,
    ]);
  }

  async markRongqueExpired(db: Queryable, caseId: string, at: Date): Promise<void> {
    await execute(db, `UPDATE cases SET rongque_expired_at = $2, updated_at = now() WHERE id = $1`, [
      caseId,
      at,
    ]);
  }

  /** The newest unanswered supplement request of the case, for the case view. */
  openRequest(caseId: string): Promise<OpenSupplementRequest | undefined> {
    return queryOne<OpenSupplementRequest>(
      this.dataSource,
      `SELECT request_id, department_id, round, items, due_at, requested_at FROM supplement_requests
        WHERE case_id = $1 AND answered_at IS NULL ORDER BY requested_at DESC LIMIT 1`,
      [caseId],
    );
  }

  /** The newest unanswered supplement request of the case, locked. */
  lockOpenRequest(db: Queryable, caseId: string): Promise<OpenRequest | undefined> {
    return queryOne<OpenRequest>(
      db,
      `SELECT request_id, department_id, round, items FROM supplement_requests
        WHERE case_id = $1 AND answered_at IS NULL ORDER BY requested_at DESC LIMIT 1 FOR UPDATE`,
      [caseId],
    );
  }

  async answerRequest(db: Queryable, requestId: string): Promise<void> {
    await execute(db, `UPDATE supplement_requests SET answered_at = now() WHERE request_id = $1`, [
      requestId,
    ]);
  }

  async isRated(caseId: string): Promise<boolean> {
    const row = await queryOne<Pick<RatingRow, 'case_id'>>(
      this.dataSource,
      `SELECT case_id FROM ratings WHERE case_id = $1`,
      [caseId],
    );
    return row !== undefined;
  }

  /** False when the case has been rated already (once per case): nothing is written then. */
  async addRating(db: Queryable, rating: RatingRow): Promise<boolean> {
    const { count } = await execute(
      db,
      `INSERT INTO ratings (case_id, score, comment, tags, channel, office_id, rated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id) DO NOTHING`,
      [
        rating.case_id,
        rating.score,
        rating.comment,
        rating.tags,
        rating.channel,
        rating.office_id,
        rating.rated_at,
      ],
    );
    return count > 0;
  }
}
