import { randomUUID } from 'node:crypto';
import { ConflictException, type HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { type Actor, assertInScope, AuditTrail, eventActor } from '@tongban/auth';
import type { Actor as EventActor, DeliveryFailureReason } from '@tongban/contracts';
import type { Queryable } from '@tongban/database';
import { ReferenceData } from '@tongban/reference-data';
import { Clock, invalidRequest } from '@tongban/runtime';
import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-config';
import { courierAssignmentIssues } from './courier-assignment';
import { heldForRongque } from './rongque-hold';
import { courierReceiptNumber } from './courier-receipt-number';
import { type ChangeDetails, illegalTransition, ParcelLedger } from './parcel-ledger.service';
import { type ParcelRow, type ParcelView, parcelView } from './parcel-row';
import { ParcelStore } from './parcel-store';
import { AT_WINDOW, FINAL_STATES, type ParcelAction, transition } from './parcel-state-machine';
import { PickupCodes, type Proof } from './pickup-codes.service';

/** The applicant acting without an account (proved by tracking number and phone ending). */
const APPLICANT: EventActor = { sub: 'applicant', role: 'system' };

type Courier = Extract<Actor, { role: 'courier' }>;
type Staff = Extract<Actor, { role: 'office_staff' }>;

export interface DeliveryProof {
  readonly proof: Proof;
  readonly signatureRef?: string;
  readonly photoRef?: string;
  /** 帮办代办: the agent's ID number, checked before the code when the agent collects. */
  readonly agent?: { readonly idNumber: string };
}

export interface PickupReceipt {
  readonly receiptId: string;
  readonly receiptNumber: string;
  readonly courierId: string;
  readonly officeId: string;
  readonly signatureRef: string;
  readonly signedAt: string;
  /** Each parcel with the documents it carries (N证联办: every department's), for the 回执单. */
  readonly parcels: { parcelId: string; trackingNumber: string; documents: readonly string[] }[];
}

/** A refusal decided inside a transaction that must still commit (a counted wrong proof). */
class Refusal {
  constructor(readonly error: HttpException) {}
}

/**
 * Every state change the couriers and offices make. Each runs in one transaction with the parcel
 * row locked: scope check (another courier's or office's parcel is a 404), the state machine
 * (409 and no change when it refuses), the ledger's writes, the audit entry.
 */
@Injectable()
export class ParcelOperations {
  constructor(
    private readonly store: ParcelStore,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    private readonly ledger: ParcelLedger,
    private readonly codes: PickupCodes,
    private readonly audit: AuditTrail,
    private readonly offices: ReferenceData,
    private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------------------------------------
  // couriers

  /** 回执单: the courier takes assigned parcels at one office and signs one receipt for all of them. */
  async pickUp(actor: Courier, parcelIds: readonly string[], signatureRef: string): Promise<PickupReceipt> {
    const ids = [...new Set(parcelIds)].sort();
    return this.store.transaction(async (unit) => {
      const { manager } = unit;
      const parcels: ParcelRow[] = [];
      // Locked in id order, so two pickups over the same parcels cannot deadlock.
      for (const id of ids) parcels.push(this.inCourierScope(actor, await this.store.lock(manager, id)));
      const officeId = parcels[0]?.office_id;
      if (!officeId || parcels.some((parcel) => parcel.office_id !== officeId)) {
        throw invalidRequest([{ field: 'parcelIds', reason: 'must all be taken at the same office' }]);
      }
      const now = this.clock.now();
      const receiptId = randomUUID();
      const receiptNumber = courierReceiptNumber(officeId, now);
      await this.store.addReceipt(manager, {
        id: receiptId,
        receipt_number: receiptNumber,
        courier_id: actor.courierId,
        office_id: officeId,
        signature_ref: signatureRef,
        signed_by: actor.sub,
        signed_at: now,
      });
      for (const parcel of parcels) {
        await this.ledger.apply(
          unit,
          parcel,
          { type: 'pick_up', courierId: actor.courierId },
          eventActor(actor),
          { place: `office:${officeId}`, receiptId },
          now,
        );
        await this.store.addReceiptParcel(manager, {
          receipt_id: receiptId,
          parcel_id: parcel.id,
          tracking_number: parcel.tracking_number,
        });
      }
      await this.audit.record(manager, {
        actor,
        action: 'parcel.pick-up',
        objectType: 'courier_receipt',
        objectId: receiptId,
        result: 'succeeded',
        detail: { officeId, parcelIds: ids },
      });
      return {
        receiptId,
        receiptNumber,
        courierId: actor.courierId,
        officeId,
        signatureRef,
        signedAt: now.toISOString(),
        parcels: parcels.map((parcel) => ({
          parcelId: parcel.id,
          trackingNumber: parcel.tracking_number,
          documents: parcel.documents.map((d) => d.number),
        })),
      };
    });
  }

  async receipt(actor: Actor, receiptId: string): Promise<PickupReceipt> {
    const found = await this.store.receipt(receiptId);
    if (!found) throw new NotFoundException();
    const { receipt: row, parcels } = found;
    assertInScope(actor, { courierId: row.courier_id, officeId: row.office_id });
    return {
      receiptId: row.id,
      receiptNumber: row.receipt_number,
      courierId: row.courier_id,
      officeId: row.office_id,
      signatureRef: row.signature_ref,
      signedAt: row.signed_at.toISOString(),
      parcels: parcels.map((parcel) => ({
        parcelId: parcel.parcel_id,
        trackingNumber: parcel.tracking_number,
        documents: parcel.documents,
      })),
    };
  }

  goOut(actor: Courier, parcelId: string): Promise<ParcelView> {
    return this.courierChange(actor, parcelId, { type: 'go_out', courierId: actor.courierId }, (parcel) => ({
      place: this.door(parcel),
    }));
  }

  failAttempt(
    actor: Courier,
    parcelId: string,
    reason: DeliveryFailureReason,
    nextAttemptAt?: Date,
  ): Promise<ParcelView> {
    return this.courierChange(
      actor,
      parcelId,
      { type: 'fail', courierId: actor.courierId, reason },
      (parcel) => ({ place: this.door(parcel), failureReason: reason, nextAttemptAt }),
      { reason },
    );
  }

  reschedule(actor: Courier, parcelId: string, nextAttemptAt: Date): Promise<ParcelView> {
    return this.courierChange(
      actor,
      parcelId,
      { type: 'reschedule', courierId: actor.courierId },
      (parcel) => ({ place: this.door(parcel), nextAttemptAt }),
      { nextAttemptAt: nextAttemptAt.toISOString() },
    );
  }

  /** Delivered at the door against the applicant's pickup code or ID last four, with a signature or photo. */
  deliver(actor: Courier, parcelId: string, proof: DeliveryProof): Promise<ParcelView> {
    return this.handover(actor, parcelId, { type: 'deliver', courierId: actor.courierId }, proof, 'door');
  }

  // ---------------------------------------------------------------------------------------------
  // offices

  receive(actor: Staff, parcelId: string): Promise<ParcelView> {
    return this.officeChange(actor, parcelId, { type: 'receive', officeId: actor.officeId });
  }

  assign(actor: Staff, parcelId: string, courierId: string): Promise<ParcelView> {
    const issues = courierAssignmentIssues(
      courierId,
      this.offices.courier(courierId),
      this.offices.office(actor.officeId)?.district,
    );
    if (issues.length > 0) throw invalidRequest(issues);
    return this.officeChange(
      actor,
      parcelId,
      { type: 'assign', officeId: actor.officeId, courierId },
      {},
      { courierId },
    );
  }

  post(actor: Staff, parcelId: string, postalTrackingNumber: string): Promise<ParcelView> {
    return this.officeChange(
      actor,
      parcelId,
      { type: 'post', officeId: actor.officeId },
      { postalTrackingNumber },
    );
  }

  confirmPostDelivery(actor: Staff, parcelId: string): Promise<ParcelView> {
    return this.officeChange(actor, parcelId, { type: 'confirm_post_delivery', officeId: actor.officeId });
  }

  returnToWindow(actor: Staff, parcelId: string): Promise<ParcelView> {
    return this.officeChange(actor, parcelId, { type: 'return_to_window', officeId: actor.officeId });
  }

  /** Hand-over at the window after verifying the applicant's pickup code (or ID last four). */
  collect(actor: Staff, parcelId: string, proof: DeliveryProof): Promise<ParcelView> {
    return this.handover(actor, parcelId, { type: 'collect', officeId: actor.officeId }, proof, 'window');
  }

  /** A new code for the applicant (lost, expired or locked): sent by SMS, never shown to staff. */
  async reissueCode(actor: Staff, parcelId: string): Promise<{ sentTo: string; expiresAt: string }> {
    return this.store.transaction(async ({ manager, publish }) => {
      const parcel = await this.store.lock(manager, parcelId);
      if (!parcel) throw new NotFoundException();
      assertInScope(actor, { officeId: parcel.office_id });
      // A code is of use at the door of a parcel still on its way, or at the window holding it.
      const useful =
        parcel.method === 'courier' ? !FINAL_STATES.includes(parcel.state) : AT_WINDOW.includes(parcel.state);
      if (!useful) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: `no pickup code for a ${parcel.method} parcel in state ${parcel.state}`,
          reason: 'no_code_needed',
        });
      }
      const now = this.clock.now();
      const pickupCode = await this.codes.issue(manager, parcel, now);
      // Published as an update whose state did not change, so the new code reaches the applicant.
      await publish(
        this.ledger.updatedEvent(
          parcel,
          parcel.state,
          eventActor(actor),
          { place: `office:${actor.officeId}` },
          now,
          pickupCode,
        ),
      );
      await this.audit.record(manager, {
        actor,
        action: 'parcel.reissue-code',
        objectType: 'parcel',
        objectId: parcel.id,
        result: 'succeeded',
      });
      return { sentTo: parcel.phone_masked, expiresAt: pickupCode.expiresAt };
    });
  }

  /**
   * 通取: door or postal delivery becomes pickup at an office with a window, while the parcel has
   * not left. Staff of the parcel's office act for the applicant; the applicant proves the parcel
   * with its tracking number or the case's receipt number, and their phone's last four digits.
   */
  async switchToPickup(
    who: { actor: Staff } | { reference: string; phoneLast4: string },
    target: string,
    parcelId?: string,
  ): Promise<ParcelView> {
    const office = this.offices.office(target);
    if (!office?.pickupWindow) {
      throw invalidRequest([{ field: 'officeId', reason: 'must be an office with a pickup window (通取)' }]);
    }
    if (!('actor' in who)) {
      // One budget per parcel, whichever of its two numbers the tries name.
      const known = await this.store.idByReference(who.reference);
      await this.codes.throttleApplicant(known ?? who.reference);
    }
    return this.store.transaction(async (unit) => {
      const { manager } = unit;
      let parcel: ParcelRow | undefined;
      if ('actor' in who) {
        parcel = await this.store.lock(manager, parcelId ?? '');
        if (!parcel) throw new NotFoundException();
        assertInScope(who.actor, { officeId: parcel.office_id });
      } else {
        parcel = await this.store.lockByProof(manager, who.reference, who.phoneLast4);
        // A wrong number and a wrong phone ending answer alike.
        if (!parcel) throw new NotFoundException();
      }
      const actor = 'actor' in who ? eventActor(who.actor) : APPLICANT;
      const changed = await this.ledger.apply(
        unit,
        parcel,
        { type: 'switch_to_pickup', officeId: target },
        actor,
        { place: parcel.custodian },
        this.clock.now(),
      );
      // The applicant has no account: the parcel history records them as `applicant`.
      if ('actor' in who) {
        await this.audit.record(manager, {
          actor: who.actor,
          action: 'parcel.switch-to-pickup',
          objectType: 'parcel',
          objectId: parcel.id,
          result: 'succeeded',
          detail: { from: parcel.state, to: changed.state, officeId: target },
        });
      }
      return parcelView(changed);
    });
  }

  // ---------------------------------------------------------------------------------------------

  private door(parcel: ParcelRow): string {
    return parcel.address ? `address:${parcel.address.districtCode}` : `office:${parcel.office_id}`;
  }

  private inCourierScope(actor: Courier, parcel: ParcelRow | undefined): ParcelRow {
    if (!parcel) throw new NotFoundException();
    assertInScope(actor, { courierId: parcel.courier_id });
    return parcel;
  }

  private inOfficeScope(actor: Staff, parcel: ParcelRow | undefined): ParcelRow {
    if (!parcel) throw new NotFoundException();
    // The receiving office of a parcel switched to it sees it, as does its current dispatcher.
    assertInScope(actor, { officeId: [parcel.office_id, parcel.custodian.replace(/^office:/, '')] });
    return parcel;
  }

  private async courierChange(
    actor: Courier,
    parcelId: string,
    action: ParcelAction,
    details: (parcel: ParcelRow) => ChangeDetails,
    detail: Record<string, unknown> = {},
  ): Promise<ParcelView> {
    return this.change(actor, parcelId, action, details, detail, (parcel) =>
      this.inCourierScope(actor, parcel),
    );
  }

  private async officeChange(
    actor: Staff,
    parcelId: string,
    action: ParcelAction,
    extra: Partial<ChangeDetails> = {},
    detail: Record<string, unknown> = {},
  ): Promise<ParcelView> {
    return this.change(
      actor,
      parcelId,
      action,
      () => ({ place: `office:${actor.officeId}`, ...extra }),
      detail,
      (parcel) => this.inOfficeScope(actor, parcel),
    );
  }

  private async change(
    actor: Actor,
    parcelId: string,
    action: ParcelAction,
    details: (parcel: ParcelRow) => ChangeDetails,
    detail: Record<string, unknown>,
    scope: (parcel: ParcelRow | undefined) => ParcelRow,
  ): Promise<ParcelView> {
    return this.store.transaction(async (unit) => {
      const parcel = scope(await this.store.lock(unit.manager, parcelId));
      const changed = await this.ledger.apply(
        unit,
        parcel,
        action,
        eventActor(actor),
        details(parcel),
        this.clock.now(),
      );
      await this.audit.record(unit.manager, {
        actor,
        action: `parcel.${action.type.replaceAll('_', '-')}`,
        objectType: 'parcel',
        objectId: parcel.id,
        result: 'succeeded',
        detail: { from: parcel.state, to: changed.state, ...detail },
      });
      return parcelView(changed);
    });
  }

  /**
   * A handover against proof. The action must be legal before the proof is looked at (a parcel
   * not out for delivery answers 409 and costs no attempt); a wrong proof is counted and audited
   * in a transaction that commits, and only then refused.
   */
  /** 容缺: the result stays in custody while the item's rule holds it (rongque-hold.ts). */
  private async assertNotHeld(manager: Queryable, parcel: ParcelRow): Promise<void> {
    const outstanding = await this.store.rongqueOutstanding(manager, parcel.case_id);
    if (heldForRongque(this.offices.item(parcel.item_code), parcel.kind, outstanding)) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `result held until the 容缺 materials are handed in: ${outstanding.join(', ')}`,
      });
    }
  }

  private async handover(
    actor: Courier | Staff,
    parcelId: string,
    action: ParcelAction,
    proof: DeliveryProof,
    channel: 'door' | 'window',
  ): Promise<ParcelView> {
    await this.codes.throttle(actor, channel, proof.proof.kind);
    const outcome = await this.store.transaction(async (unit) => {
      const { manager } = unit;
      const locked = await this.store.lock(manager, parcelId);
      const parcel =
        actor.role === 'courier' ? this.inCourierScope(actor, locked) : this.inOfficeScope(actor, locked);
      const legal = transition(
        {
          state: parcel.state,
          method: parcel.method,
          officeId: parcel.office_id,
          courierId: parcel.courier_id,
          attempts: parcel.attempts,
          custodian: parcel.custodian,
        },
        action,
        { maxFailedAttempts: this.settings.maxFailedAttempts },
      );
      if (!legal.ok) throw illegalTransition(parcel, legal.reason);
      await this.assertNotHeld(manager, parcel);
      const now = this.clock.now();
      // The agent's ID first: a code that matched would be spent even though the agent's did not.
      const agentCheck = proof.agent
        ? await this.codes.checkAgent(manager, parcel, proof.agent.idNumber)
        : 'ok';
      const result =
        agentCheck === 'ok' ? await this.codes.check(manager, parcel, proof.proof, channel, now) : agentCheck;
      if (result !== 'ok') {
        await this.audit.record(manager, {
          actor,
          action: `parcel.${action.type}`,
          objectType: 'parcel',
          objectId: parcel.id,
          result: 'denied',
          detail: {
            proof: agentCheck === 'ok' ? proof.proof.kind : 'agent_id',
            check: result,
            failures: parcel.proof_failures,
          },
        });
        return new Refusal(
          agentCheck === 'ok'
            ? this.codes.refusal(result, parcel)
            : this.codes.agentRefusal(agentCheck, parcel),
        );
      }
      const place = channel === 'door' ? this.door(parcel) : `office:${parcel.office_id}`;
      const evidence = {
        kind: proof.proof.kind,
        signatureRef: proof.signatureRef,
        photoRef: proof.photoRef,
        ...(proof.agent ? { collectedBy: 'agent' } : {}),
      };
      const changed = await this.ledger.apply(
        unit,
        parcel,
        action,
        eventActor(actor),
        { place, proof: evidence },
        now,
      );
      await this.audit.record(manager, {
        actor,
        action: `parcel.${action.type}`,
        objectType: 'parcel',
        objectId: parcel.id,
        result: 'succeeded',
        detail: { from: parcel.state, to: changed.state, proof: proof.proof.kind },
      });
      return changed;
    });
    if (outcome instanceof Refusal) throw outcome.error;
    return parcelView(outcome);
  }
}
