import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, actorScope, assertInScope, AuditTrail } from '@tongban/auth';
import type { DeliveryMethod, DeliveryState } from '@tongban/contracts';
import { PiiCipher } from '@tongban/pii';
import { Clock } from '@tongban/runtime';
import type { DataSource } from 'typeorm';
import { dueToday } from './courier-due';
import { type ParcelRow, parcelView } from './parcel-row';
import { ParcelStore } from './parcel-store';
import { FINAL_STATES } from './parcel-state-machine';

export interface ParcelFilter {
  readonly state?: DeliveryState;
  readonly method?: DeliveryMethod;
  readonly includeFinal: boolean;
  /** `today`: the courier's parcels whose next step is today (courier-due.ts). */
  readonly due?: 'today';
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
    private readonly store: ParcelStore,
    private readonly cipher: PiiCipher,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** Staff see their office's parcels (dispatch desk or window, and those in transfer from it); operators all. */
  async list(actor: Actor, filter: ParcelFilter) {
    const scope = actorScope(actor);
    const rows = await this.store.list({
      officeId: scope.officeId,
      courierId: scope.courierId,
      nothing: Boolean(scope.departmentId),
      state: filter.state,
      method: filter.method,
      excludeStates: filter.includeFinal ? undefined : FINAL_STATES,
      due: filter.due === 'today' ? dueToday(this.clock.now()) : undefined,
      limit: filter.limit,
    });
    if (rows.length > 0) await this.recordRead(actor, 'parcel.list-recipients', null, rows);
    return { parcels: rows.map(parcelView) };
  }

  async row(actor: Actor, parcelId: string): Promise<ParcelRow> {
    const row = await this.store.find(parcelId);
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
    const [history, custody] = await Promise.all([this.store.history(row.id), this.store.custody(row.id)]);
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
