import { randomInt, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type Actor as EventActor, type EventOf, type SealedText } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { PiiCipher } from '@tongban/pii';
import { referenceData } from '@tongban/reference-data';
import type { EntityManager } from 'typeorm';
import { DeliveryMetrics } from '../parcels/delivery-metrics';
import { ParcelLedger } from '../parcels/parcel-ledger.service';
import { planParcel } from '../parcels/parcel-plan';
import type { ParcelRow } from '../parcels/parcel-row';
import { PickupCodes } from '../parcels/pickup-codes.service';
import { recipientName } from '../parcels/recipient';

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
  private readonly offices = referenceData();

  constructor(
    private readonly ledger: ParcelLedger,
    private readonly codes: PickupCodes,
    private readonly metrics: DeliveryMetrics,
    private readonly cipher: PiiCipher,
  ) {}

  async onDecided(manager: EntityManager, event: EventOf<'case.decided'>): Promise<(() => void) | undefined> {
    const unseal = (sealed: SealedText) => this.cipher.decrypt(sealed.ciphertext);
    const plan = planParcel(event, this.offices, unseal);
    if (!plan) {
      this.logger.log({ msg: 'no parcel: rejection without a paper notice', caseId: event.caseId });
      return undefined;
    }
    const snapshot = event.payload.case;
    const applicant = snapshot.applicant;
    const now = new Date();
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
    };
    const inserted = (await manager.query(
      `INSERT INTO parcels (id, case_id, tracking_number, kind, receipt_number, item_code, document_number, department_id,
         accepting_office_id, requested_method, method, state, office_id, custodian, address, recipient_name,
         phone_ciphertext, phone_masked, id_number_masked, decided_at, created_at, state_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21)
       ON CONFLICT (case_id) DO NOTHING RETURNING id`,
      [
        parcel.id,
        parcel.case_id,
        parcel.tracking_number,
        parcel.kind,
        parcel.receipt_number,
        parcel.item_code,
        parcel.document_number,
        parcel.department_id,
        parcel.accepting_office_id,
        parcel.requested_method,
        parcel.method,
        parcel.state,
        parcel.office_id,
        parcel.custodian,
        parcel.address === null ? null : JSON.stringify(parcel.address),
        parcel.recipient_name,
        parcel.phone_ciphertext,
        parcel.phone_masked,
        parcel.id_number_masked,
        parcel.decided_at,
        now,
      ],
    )) as unknown[];
    if (inserted.length === 0) {
      this.logger.warn({
        msg: 'case already has a parcel; decision ignored',
        caseId: event.caseId,
        eventId: event.eventId,
      });
      return undefined;
    }
    await manager.query(
      `INSERT INTO parcel_history (parcel_id, action, from_state, to_state, method, attempt, actor_sub, actor_role, occurred_at)
       VALUES ($1, 'create', NULL, 'created', $2, 0, $3, $4, $5)`,
      [parcel.id, parcel.method, DELIVERY_SYSTEM_ACTOR.sub, DELIVERY_SYSTEM_ACTOR.role, now],
    );
    // The applicant gives this code to the courier at the door; a pickup code comes when the
    // parcel reaches its window.
    const pickupCode = parcel.method === 'courier' ? await this.codes.issue(manager, parcel, now) : undefined;
    await appendToOutbox(
      manager,
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
    return () => this.metrics.created.inc({ method: parcel.method, kind: parcel.kind });
  }
}
