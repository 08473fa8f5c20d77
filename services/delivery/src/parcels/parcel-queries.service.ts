import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, actorScope, assertInScope, AuditTrail } from '@tongban/auth';
import type { DeliveryMethod, DeliveryState } from '@tongban/contracts';
import { PiiCipher } from '@tongban/pii';
import type { DataSource } from 'typeorm';
import { findParcel, type ParcelRow, parcelView } from './parcel-row';
import { FINAL_STATES } from './parcel-state-machine';

export interface ParcelFilter {
  readonly state?: DeliveryState;
  readonly method?: DeliveryMethod;
  readonly includeFinal: boolean;
  readonly limit: number;
}

type Courier = Extract<Actor, { role: 'courier' }>;

/**
 * Reads, always within the caller's scope; another scope's parcel is a 404 like a missing one.
 * A read that shows a recipient's name and address, or opens their phone number, is audited:
 * who saw whose personal data, and when (个人信息查阅留痕).
 */
@Injectable()
export class ParcelQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditTrail,
  ) {}

  /** Staff see their office's parcels (dispatch desk or window, and those in transfer from it); operators all. */
  async list(actor: Actor, filter: ParcelFilter) {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (sql: (param: string) => string, value: unknown) => {
      values.push(value);
      conditions.push(sql(`$${values.length}`));
    };
    const scope = actorScope(actor);
    if (scope.officeId) where((p) => `(office_id = ${p} OR custodian = 'office:' || ${p})`, scope.officeId);
    if (scope.courierId) where((p) => `courier_id = ${p}`, scope.courierId);
    if (scope.departmentId) conditions.push('FALSE');
    if (filter.state) where((p) => `state = ${p}`, filter.state);
    if (filter.method) where((p) => `method = ${p}`, filter.method);
    if (!filter.includeFinal) where((p) => `state <> ALL(${p})`, FINAL_STATES);
    values.push(filter.limit);
    const rows = (await this.dataSource.query(
      `SELECT * FROM parcels ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY state_at, id LIMIT $${values.length}`,
      values,
    )) as ParcelRow[];
    if (rows.length > 0) await this.recordRead(actor, 'parcel.list-recipients', null, rows);
    return { parcels: rows.map(parcelView) };
  }

  async row(actor: Actor, parcelId: string): Promise<ParcelRow> {
    const row = await findParcel(this.dataSource.manager, parcelId);
    if (!row) throw new NotFoundException();
    assertInScope(actor, {
      officeId: [row.office_id, row.custodian.replace(/^office:/, '')],
      courierId: row.courier_id,
    });
    return row;
  }

  /** A parcel with its history and chain of custody. */
  async detail(actor: Actor, parcelId: string) {
    const row = await this.row(actor, parcelId);
    await this.recordRead(actor, 'parcel.read-recipient', row.id, [row]);
    return this.detailOf(row);
  }

  private async detailOf(row: ParcelRow) {
    const [history, custody] = await Promise.all([
      this.dataSource.query(
        `SELECT action, from_state, to_state, method, failure_reason, attempt, next_attempt_at, actor_sub, actor_role, occurred_at
           FROM parcel_history WHERE parcel_id = $1 ORDER BY id`,
        [row.id],
      ) as Promise<
        {
          action: string;
          from_state: string | null;
          to_state: string;
          method: string;
          failure_reason: string | null;
          attempt: number;
          next_attempt_at: Date | null;
          actor_sub: string;
          actor_role: string;
          occurred_at: Date;
        }[]
      >,
      this.dataSource.query(
        `SELECT from_party, to_party, actor_sub, actor_role, place, receipt_id, occurred_at
           FROM custody_handoffs WHERE parcel_id = $1 ORDER BY id`,
        [row.id],
      ) as Promise<
        {
          from_party: string;
          to_party: string;
          actor_sub: string;
          actor_role: string;
          place: string;
          receipt_id: string | null;
          occurred_at: Date;
        }[]
      >,
    ]);
    return {
      ...parcelView(row),
      history: history.map((entry) => ({
        action: entry.action,
        from: entry.from_state,
        to: entry.to_state,
        method: entry.method,
        failureReason: entry.failure_reason,
        attempt: entry.attempt,
        nextAttemptAt: entry.next_attempt_at?.toISOString() ?? null,
        actor: { sub: entry.actor_sub, role: entry.actor_role },
        at: entry.occurred_at.toISOString(),
      })),
      custody: custody.map((handoff) => ({
        from: handoff.from_party,
        to: handoff.to_party,
        actor: { sub: handoff.actor_sub, role: handoff.actor_role },
        place: handoff.place,
        receiptId: handoff.receipt_id,
        at: handoff.occurred_at.toISOString(),
      })),
    };
  }

  /**
   * What the courier of a parcel needs at the door: the address and the applicant's phone number
   * in clear, to agree on a time. Never the ID number (masked only). Only while the parcel is
   * theirs and not yet handed over.
   */
  async forCourier(actor: Courier, parcelId: string) {
    const row = await this.row(actor, parcelId);
    const open = !FINAL_STATES.includes(row.state);
    await this.recordRead(actor, open ? 'parcel.read-contact' : 'parcel.read-recipient', row.id, [row]);
    const detail = await this.detailOf(row);
    return {
      ...detail,
      recipient: { ...detail.recipient, phone: open ? this.cipher.decrypt(row.phone_ciphertext) : null },
    };
  }

  private async recordRead(
    actor: Actor,
    action: string,
    parcelId: string | null,
    rows: readonly ParcelRow[],
  ): Promise<void> {
    await this.audit.record(this.dataSource.manager, {
      actor,
      action,
      objectType: 'parcel',
      objectId: parcelId,
      result: 'succeeded',
      detail: { parcelIds: rows.map((row) => row.id), caseIds: rows.map((row) => row.case_id) },
    });
  }
}
