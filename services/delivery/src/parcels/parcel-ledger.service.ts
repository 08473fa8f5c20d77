import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { type Actor as EventActor, createEvent, type DeliveryFailureReason } from '@tongban/contracts';
import type { TransactionUnit } from '@tongban/messaging';
import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-config';
import { DeliveryMetrics } from './delivery-metrics';
import { factsOf, type ParcelRow } from './parcel-row';
import { ParcelStore } from './parcel-store';
import { AT_WINDOW, type ParcelAction, transition } from './parcel-state-machine';
import { PickupCodes, type SealedPickupCode } from './pickup-codes.service';

/** 409: the state machine refused the action; nothing was changed. */
export function illegalTransition(parcel: ParcelRow, reason: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: reason,
    reason: 'illegal_transition',
    state: parcel.state,
    method: parcel.method,
  });
}

/** What happens beside the state change itself. */
export interface ChangeDetails {
  /** Where it happened: `office:<id>` or `address:<district>` (never the street address). */
  readonly place: string;
  readonly failureReason?: DeliveryFailureReason;
  readonly nextAttemptAt?: Date;
  readonly receiptId?: string;
  readonly proof?: Record<string, unknown>;
  readonly postalTrackingNumber?: string;
}

/**
 * The one place a parcel changes: the state machine decides, then, in the caller's transaction
 * (the parcel row locked), the row, its history, the chain of custody, a fresh pickup code when it
 * reaches a window, and the `delivery.updated` outbox row are written together; its metrics are
 * counted once the transaction has committed.
 */
@Injectable()
export class ParcelLedger {
  constructor(
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    private readonly store: ParcelStore,
    private readonly codes: PickupCodes,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /** The parcel as changed; 409 with the reason when the state machine refuses: nothing is written. */
  async apply(
    unit: TransactionUnit,
    parcel: ParcelRow,
    action: ParcelAction,
    actor: EventActor,
    details: ChangeDetails,
    now: Date,
  ): Promise<ParcelRow> {
    const { manager } = unit;
    const result = transition(factsOf(parcel), action, {
      maxFailedAttempts: this.settings.maxFailedAttempts,
    });
    if (!result.ok) throw illegalTransition(parcel, result.reason);
    const { next, handoff } = result;
    const before = parcel;
    const stateChanged = next.state !== before.state;
    const reachedWindow = AT_WINDOW.includes(next.state) && stateChanged;
    const final = next.state === 'delivered' || next.state === 'collected';
    const updated: ParcelRow = {
      ...before,
      state: next.state,
      method: next.method,
      office_id: next.officeId,
      courier_id: next.courierId,
      attempts: next.attempts,
      custodian: next.custodian,
      failure_reason: action.type === 'fail' ? (details.failureReason ?? null) : before.failure_reason,
      // Agreed with the applicant after a failed attempt; meaningless in any other state.
      next_attempt_at:
        next.state === 'delivery_failed' || next.state === 'rescheduled'
          ? (details.nextAttemptAt ?? before.next_attempt_at)
          : null,
      postal_tracking_number: details.postalTrackingNumber ?? before.postal_tracking_number,
      proof: details.proof ?? before.proof,
      state_at: stateChanged ? now : before.state_at,
      at_window_since: reachedWindow ? now : AT_WINDOW.includes(next.state) ? before.at_window_since : null,
      completed_at: final ? now : null,
    };
    await this.store.update(manager, updated);
    await this.store.addHistory(manager, updated.id, {
      action: action.type,
      from_state: before.state,
      to_state: updated.state,
      method: updated.method,
      failure_reason: action.type === 'fail' ? (details.failureReason ?? null) : null,
      attempt: updated.attempts,
      next_attempt_at: details.nextAttemptAt ?? null,
      actor_sub: actor.sub,
      actor_role: actor.role,
      occurred_at: now,
    });
    if (handoff) {
      await this.store.addHandoff(manager, updated.id, {
        from_party: handoff.from,
        to_party: handoff.to,
        actor_sub: actor.sub,
        actor_role: actor.role,
        place: details.place,
        receipt_id: details.receiptId ?? null,
        occurred_at: now,
      });
    }
    const pickupCode = reachedWindow ? await this.codes.issue(manager, updated, now) : undefined;
    // Every state change is published; so is a switch to pickup, which readdresses the parcel.
    if (stateChanged || updated.method !== before.method || updated.office_id !== before.office_id) {
      await unit.publish(this.updatedEvent(updated, before.state, actor, details, now, pickupCode));
    }
    unit.afterCommit(() => {
      if (action.type === 'fail' && details.failureReason)
        this.metrics.failures.inc({ reason: details.failureReason });
      if (final) {
        if (updated.state === 'delivered' && before.method === 'courier') {
          this.metrics.attemptsPerDelivery.observe({ method: 'courier' }, updated.attempts + 1);
        }
        this.metrics.decisionToDelivery.observe(
          { method: updated.method, outcome: updated.state },
          (now.getTime() - updated.decided_at.getTime()) / 1000,
        );
      }
    });
    return updated;
  }

  updatedEvent(
    parcel: ParcelRow,
    previousState: ParcelRow['state'] | undefined,
    actor: EventActor,
    details: Pick<ChangeDetails, 'place' | 'failureReason' | 'nextAttemptAt'>,
    now: Date,
    pickupCode?: SealedPickupCode,
  ) {
    return createEvent({
      type: 'delivery.updated',
      caseId: parcel.case_id,
      producer: 'delivery',
      occurredAt: now,
      payload: {
        parcelId: parcel.id,
        trackingNumber: parcel.tracking_number,
        method: parcel.method,
        state: parcel.state,
        previousState,
        failureReason: parcel.state === 'delivery_failed' ? (details.failureReason ?? undefined) : undefined,
        attempt: parcel.attempts,
        nextAttemptAt: parcel.next_attempt_at?.toISOString(),
        officeId: parcel.office_id,
        courierId: parcel.courier_id ?? undefined,
        place: details.place,
        actor,
        pickupCode,
      },
    });
  }
}
