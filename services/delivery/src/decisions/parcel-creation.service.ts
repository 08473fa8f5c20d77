import { randomInt, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type Actor as EventActor, type EventOf, type SealedText } from '@tongban/contracts';
import type { TransactionUnit } from '@tongban/messaging';
import { PiiCipher } from '@tongban/pii';
import { ReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { DeliveryMetrics } from '../parcels/delivery-metrics';
import { ParcelLedger } from '../parcels/parcel-ledger.service';
import { planParcel } from '../parcels/parcel-plan';
import type { ParcelRow } from '../parcels/parcel-row';
import { ParcelStore } from '../parcels/parcel-store';
import { PickupCodes } from '../parcels/pickup-codes.service';
import { parcelAgent, recipientName } from '../parcels/recipient';

/** Delivery itself, as events and the parcel history name it when no person acted. */
export const DELIVERY_SYSTEM_ACTOR: EventActor = { sub: 'tongban-delivery', role: 'system' };

/** `TB` and 12 random digits: not guessable from another parcel's number. */
export function newTrackingNumber(): string {
  return `TB${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/**
 * Turns a decided case into its parcel, in the consumer's transaction. A case has at most one
 * parcel: the case id is unique, so a replayed or re-emitted `case.decided` creates nothing.
 */
@Injectable()
export class ParcelCreation {
  private readonly logger = new Logger(ParcelCreation.name);
  constructor(
    private readonly store: ParcelStore,
    private readonly ledger: ParcelLedger,
    private readonly codes: PickupCodes,
    private readonly metrics: DeliveryMetrics,
    private readonly cipher: PiiCipher,
    private readonly offices: ReferenceData,
    private readonly clock: Clock,
  ) {}

  /** Counts the parcel once the consumer's transaction has committed. */
  async onDecided(unit: TransactionUnit, event: EventOf<'case.decided'>): Promise<void> {
    const { manager } = unit;
    const unseal = (sealed: SealedText) => this.cipher.decrypt(sealed.ciphertext);
    const plan = planParcel(event, this.offices, unseal);
    if (!plan) {
      this.logger.log({ msg: 'no parcel: rejection without a paper notice', caseId: event.caseId });
      return;
    }
    const snapshot = event.payload.case;
    const applicant = snapshot.applicant;
    const now = this.clock.now();
    // As missing at acceptance; any hand-in intake reported (case.rongque) is newer and wins.
    await this.store.recordRongque(manager, event.caseId, snapshot.missingMaterials, new Date(0));
    const parcel: ParcelRow = {
      id: randomUUID(),
      case_id: event.caseId,
      tracking_number: newTrackingNumber(),
      kind: plan.kind,
      receipt_number: snapshot.receiptNumber,
      item_code: snapshot.itemCode,
      document_number: plan.documentNumber,
      department_id: plan.departmentId,
      accepting_office_id: snapshot.acceptingOfficeId,
      requested_method: snapshot.delivery.method,
      method: plan.method,
      state: 'created',
      office_id: plan.officeId,
      courier_id: null,
      custodian: `department:${plan.departmentId}`,
      address: plan.address,
      recipient_name: recipientName(applicant, unseal),
      phone_ciphertext: applicant.phone.ciphertext,
      phone_masked: applicant.phone.masked,
      id_number_masked: applicant.kind === 'person' ? applicant.idNumber.masked : null,
      attempts: 0,
      failure_reason: null,
      next_attempt_at: null,
      postal_tracking_number: null,
      code_hash: null,
      code_expires_at: null,
      proof_failures: 0,
      code_issues: 0,
      proof: null,
      decided_at: new Date(event.occurredAt),
      created_at: now,
      state_at: now,
      at_window_since: null,
      completed_at: null,
      agent: parcelAgent(snapshot),
      documents: [...plan.documents],
    };
    const created = await this.store.create(manager, parcel);
    if (!created) {
      this.logger.warn({
        msg: 'case already has a parcel; decision ignored',
        caseId: event.caseId,
        eventId: event.eventId,
      });
      return;
    }
    await this.store.addHistory(manager, parcel.id, {
      action: 'create',
      from_state: null,
      to_state: 'created',
      method: parcel.method,
      failure_reason: null,
      attempt: 0,
      next_attempt_at: null,
      actor_sub: DELIVERY_SYSTEM_ACTOR.sub,
      actor_role: DELIVERY_SYSTEM_ACTOR.role,
      occurred_at: now,
    });
    // The applicant gives this code to the courier at the door; a pickup code comes when the
    // parcel reaches its window.
    const pickupCode = parcel.method === 'courier' ? await this.codes.issue(manager, parcel, now) : undefined;
    await unit.publish(
      this.ledger.updatedEvent(
        parcel,
        undefined,
        DELIVERY_SYSTEM_ACTOR,
        { place: parcel.custodian },
        now,
        pickupCode,
      ),
    );
    this.logger.log({
      msg: 'parcel created',
      caseId: event.caseId,
      parcelId: parcel.id,
      method: parcel.method,
      officeId: parcel.office_id,
      kind: parcel.kind,
      ...(plan.note ? { note: plan.note } : {}),
    });
    unit.afterCommit(() => this.metrics.created.inc({ method: parcel.method, kind: parcel.kind }));
  }
}
