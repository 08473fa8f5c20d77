import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryMethod, DeliveryState } from '@tongban/contracts';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { inTransaction, type TransactionUnit } from '@tongban/messaging';
import type { DataSource } from 'typeorm';
import type { DueWindow } from './courier-due';
import {
  courierReceiptParcels,
  type CourierReceiptParcelRow,
  type CourierReceiptRow,
  courierReceipts,
  custodyHandoffs,
  type CustodyHandoffRow,
  parcelHistory,
  type ParcelHistoryRow,
  type ParcelRow,
  parcels,
} from './delivery-tables';

export const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

/** Which parcels to list, oldest state change first. */
export interface ParcelListing {
  /** Parcels at the office's dispatch desk or window, or in transfer from it. */
  readonly officeId?: string;
  readonly courierId?: string;
  /** A caller whose scope holds no parcels (a department) sees none. */
  readonly nothing?: boolean;
  readonly state?: DeliveryState;
  readonly method?: DeliveryMethod;
  readonly excludeStates?: readonly DeliveryState[];
  /** The courier's "due today" (courier-due.ts). */
  readonly due?: DueWindow;
  readonly limit: number;
}

export interface ParcelsByState {
  readonly state: string;
  readonly office: string;
  readonly method: string;
  readonly parcels: number;
}

export interface WindowBacklog {
  readonly office: string;
  readonly parcels: number;
  readonly oldest: number;
}

export type HistoryEntry = Omit<ParcelHistoryRow, 'id' | 'parcel_id'>;
export type Handoff = Omit<CustodyHandoffRow, 'id' | 'parcel_id'>;

/** The parcel columns a state change writes; the rest are fixed at creation or by the code's own statements. */
const CHANGED = [
  'state',
  'method',
  'office_id',
  'courier_id',
  'attempts',
  'custodian',
  'failure_reason',
  'next_attempt_at',
  'postal_tracking_number',
  'proof',
  'state_at',
  'at_window_since',
  'completed_at',
] as const satisfies readonly (keyof ParcelRow)[];

/** The columns a new parcel is inserted with; the others take their defaults. */
const CREATED = [
  'id',
  'case_id',
  'tracking_number',
  'kind',
  'receipt_number',
  'item_code',
  'document_number',
  'department_id',
  'accepting_office_id',
  'requested_method',
  'method',
  'state',
  'office_id',
  'custodian',
  'address',
  'recipient_name',
  'phone_ciphertext',
  'phone_masked',
  'id_number_masked',
  'decided_at',
  'created_at',
  'state_at',
  'agent',
  'documents',
] as const satisfies readonly (keyof ParcelRow)[];

/** A jsonb value as pg takes it: serialised, or null. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** All of delivery's SQL: parcels, their history and custody, courier receipts, pickup-code messages. */
@Injectable()
export class ParcelStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A transaction with post-commit work (metrics), for the HTTP actions. */
  transaction<Result>(work: (unit: TransactionUnit) => Promise<Result>): Promise<Result> {
    return inTransaction(this.dataSource, work);
  }

  /** A parcel locked for the caller's transaction, so its changes (and events) are serialised. */
  async lock(db: Queryable, id: string): Promise<ParcelRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return queryOne<ParcelRow>(db, `SELECT ${parcels.columnList} FROM parcels WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
  }

  async find(id: string, db: Queryable = this.dataSource): Promise<ParcelRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return queryOne<ParcelRow>(db, `SELECT ${parcels.columnList} FROM parcels WHERE id = $1`, [id]);
  }

  /** The applicant's parcel by tracking number and phone ending, locked; a wrong one of either finds nothing. */
  /** The applicant's parcel by its tracking number or the case's receipt number, and the phone ending. */
  lockByProof(db: Queryable, reference: string, phoneLast4: string): Promise<ParcelRow | undefined> {
    return queryOne<ParcelRow>(
      db,
      `SELECT ${parcels.columnList} FROM parcels
        WHERE (tracking_number = $1 OR receipt_number = $1) AND right(phone_masked, 4) = $2 FOR UPDATE`,
      [reference, phoneLast4],
    );
  }

  /** The parcel a tracking or receipt number names, if any (for the applicant's try budget). */
  async idByReference(reference: string): Promise<string | undefined> {
    const row = await queryOne<Pick<ParcelRow, 'id'>>(
      this.dataSource,
      `SELECT id FROM parcels WHERE tracking_number = $1 OR receipt_number = $1`,
      [reference],
    );
    return row?.id;
  }

  list(listing: ParcelListing): Promise<ParcelRow[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (sql: (param: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    if (listing.officeId)
      where((p) => `(office_id = ${p} OR custodian = 'office:' || ${p})`, listing.officeId);
    if (listing.courierId) where((p) => `courier_id = ${p}`, listing.courierId);
    if (listing.nothing) conditions.push('FALSE');
    if (listing.state) where((p) => `state = ${p}`, listing.state);
    if (listing.method) where((p) => `method = ${p}`, listing.method);
    if (listing.excludeStates) where((p) => `state <> ALL(${p})`, listing.excludeStates);
    if (listing.due) {
      values.push(listing.due.dueNowStates, listing.due.attemptStates, listing.due.attemptBefore);
      const [now, attempt, before] = [values.length - 2, values.length - 1, values.length].map(
        (n) => `$${n}`,
      );
      conditions.push(`(state = ANY(${now}) OR (state = ANY(${attempt}) AND next_attempt_at < ${before}))`);
    }
    values.push(listing.limit);
    return query<ParcelRow>(
      this.dataSource,
      `SELECT ${parcels.columnList} FROM parcels ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY state_at, id LIMIT $${values.length}`,
      values,
    );
  }

  /** Records the 容缺 materials a case still misses, unless a newer fact is already recorded. */
  async recordRongque(
    db: Queryable,
    caseId: string,
    outstanding: readonly string[],
    asOf: Date,
  ): Promise<void> {
    await execute(
      db,
      `INSERT INTO rongque_outstanding (case_id, outstanding, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET outstanding = EXCLUDED.outstanding, as_of = EXCLUDED.as_of
         WHERE rongque_outstanding.as_of < EXCLUDED.as_of`,
      [caseId, outstanding, asOf],
    );
  }

  async rongqueOutstanding(db: Queryable, caseId: string): Promise<string[]> {
    const row = await queryOne<{ outstanding: string[] }>(
      db,
      `SELECT outstanding FROM rongque_outstanding WHERE case_id = $1`,
      [caseId],
    );
    return row?.outstanding ?? [];
  }

  history(parcelId: string): Promise<ParcelHistoryRow[]> {
    return query<ParcelHistoryRow>(
      this.dataSource,
      `SELECT ${parcelHistory.columnList} FROM parcel_history WHERE parcel_id = $1 ORDER BY id`,
      [parcelId],
    );
  }

  custody(parcelId: string): Promise<CustodyHandoffRow[]> {
    return query<CustodyHandoffRow>(
      this.dataSource,
      `SELECT ${custodyHandoffs.columnList} FROM custody_handoffs WHERE parcel_id = $1 ORDER BY id`,
      [parcelId],
    );
  }

  /** False when the case has a parcel already (one parcel per case): nothing is written then. */
  async create(db: Queryable, parcel: ParcelRow): Promise<boolean> {
    const values = CREATED.map((name) =>
      name === 'address' || name === 'agent' || name === 'documents' ? json(parcel[name]) : parcel[name],
    );
    const { count } = await execute(
      db,
      `INSERT INTO parcels (${CREATED.join(', ')})
       VALUES (${CREATED.map((_, index) => `$${index + 1}`).join(', ')})
       ON CONFLICT (case_id) DO NOTHING`,
      values,
    );
    return count > 0;
  }

  /** Writes a state change's columns of the parcel. */
  async update(db: Queryable, parcel: ParcelRow): Promise<void> {
    const values = CHANGED.map((name) => (name === 'proof' ? json(parcel.proof) : parcel[name]));
    await execute(
      db,
      `UPDATE parcels SET ${CHANGED.map((name, index) => `${name} = $${index + 2}`).join(', ')} WHERE id = $1`,
      [parcel.id, ...values],
    );
  }

  async addHistory(db: Queryable, parcelId: string, entry: HistoryEntry): Promise<void> {
    await execute(
      db,
      `INSERT INTO parcel_history
         (parcel_id, action, from_state, to_state, method, failure_reason, attempt, next_attempt_at, actor_sub, actor_role, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        parcelId,
        entry.action,
        entry.from_state,
        entry.to_state,
        entry.method,
        entry.failure_reason,
        entry.attempt,
        entry.next_attempt_at,
        entry.actor_sub,
        entry.actor_role,
        entry.occurred_at,
      ],
    );
  }

  async addHandoff(db: Queryable, parcelId: string, handoff: Handoff): Promise<void> {
    await execute(
      db,
      `INSERT INTO custody_handoffs (parcel_id, from_party, to_party, actor_sub, actor_role, place, receipt_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        parcelId,
        handoff.from_party,
        handoff.to_party,
        handoff.actor_sub,
        handoff.actor_role,
        handoff.place,
        handoff.receipt_id,
        handoff.occurred_at,
      ],
    );
  }

  /**
   * A new pickup code replaces any earlier one and clears the failure count; answers the parcel's
   * code count with it (the issue number the code travels with).
   */
  async setCode(db: Queryable, parcelId: string, hash: string, expiresAt: Date): Promise<number> {
    const row = await queryOne<{ code_issues: number }>(
      db,
      `UPDATE parcels SET code_hash = $2, code_expires_at = $3, proof_failures = 0, code_issues = code_issues + 1
        WHERE id = $1 RETURNING code_issues`,
      [parcelId, hash, expiresAt],
    );
    if (!row) throw new Error(`parcel ${parcelId} vanished while its code was set`);
    return row.code_issues;
  }

  async countProofFailure(db: Queryable, parcelId: string): Promise<void> {
    await execute(db, `UPDATE parcels SET proof_failures = proof_failures + 1 WHERE id = $1`, [parcelId]);
  }

  /** Single use: the code is gone once it has opened the handover. */
  async consumeCode(db: Queryable, parcelId: string): Promise<void> {
    await execute(db, `UPDATE parcels SET code_hash = NULL WHERE id = $1`, [parcelId]);
  }

  async addReceipt(db: Queryable, receipt: CourierReceiptRow): Promise<void> {
    await execute(
      db,
      `INSERT INTO courier_receipts (${courierReceipts.columnList}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        receipt.id,
        receipt.receipt_number,
        receipt.courier_id,
        receipt.office_id,
        receipt.signature_ref,
        receipt.signed_by,
        receipt.signed_at,
      ],
    );
  }

  async addReceiptParcel(db: Queryable, entry: CourierReceiptParcelRow): Promise<void> {
    await execute(
      db,
      `INSERT INTO courier_receipt_parcels (${courierReceiptParcels.columnList}) VALUES ($1, $2, $3)`,
      [entry.receipt_id, entry.parcel_id, entry.tracking_number],
    );
  }

  async receipt(
    receiptId: string,
  ): Promise<
    { receipt: CourierReceiptRow; parcels: (CourierReceiptParcelRow & { documents: string[] })[] } | undefined
  > {
    if (!UUID.test(receiptId)) return undefined;
    const receipt = await queryOne<CourierReceiptRow>(
      this.dataSource,
      `SELECT ${courierReceipts.columnList} FROM courier_receipts WHERE id = $1`,
      [receiptId],
    );
    if (!receipt) return undefined;
    // The documents each parcel carries, by number, as the 回执单 lists them.
    const entries = await query<CourierReceiptParcelRow & { documents: string[] }>(
      this.dataSource,
      `SELECT r.receipt_id, r.parcel_id, r.tracking_number,
              COALESCE(ARRAY(SELECT d->>'number' FROM jsonb_array_elements(p.documents) d), '{}') AS documents
         FROM courier_receipt_parcels r JOIN parcels p ON p.id = r.parcel_id
        WHERE r.receipt_id = $1 ORDER BY r.tracking_number`,
      [receiptId],
    );
    return { receipt, parcels: entries };
  }

  /** For the scrape-time gauges. */
  parcelsByState(): Promise<ParcelsByState[]> {
    return query<ParcelsByState>(
      this.dataSource,
      `SELECT state, office_id AS office, method, count(*)::int AS parcels
         FROM parcels GROUP BY state, office_id, method`,
    );
  }

  windowBacklog(): Promise<WindowBacklog[]> {
    return query<WindowBacklog>(
      this.dataSource,
      `SELECT office_id AS office, count(*)::int AS parcels,
              EXTRACT(EPOCH FROM clock_timestamp() - min(at_window_since))::float8 AS oldest
         FROM parcels WHERE state IN ('ready_for_pickup', 'returned_to_window') GROUP BY office_id`,
    );
  }
}
