import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { type Actor as EventActor, createEvent, type DeliveryFailureReason } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import type { EntityManager } from 'typeorm';
import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-config';
import { DeliveryMetrics } from './delivery-metrics';
import { factsOf, type ParcelRow } from './parcel-row';
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

/** The result of a change, with the metric updates to make once the transaction has committed. */
export interface AppliedChange {
  readonly parcel: ParcelRow;
  readonly afterCommit: () => void;
}

/**
 * The one place a parcel changes: the state machine decides, then, in the caller's transaction
 * (the parcel row locked), the row, its history, the chain of custody, a fresh pickup code when it
 * reaches a window, and the `delivery.updated` outbox row are written together.
 */
@Injectable()
export class ParcelLedger {
  constructor(
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    private readonly codes: PickupCodes,
    private readonly metrics: DeliveryMetrics,
  ) {}

  /** 409 with the reason when the state machine refuses: nothing is written. */
  async apply(
    manager: EntityManager,
    parcel: ParcelRow,
    action: ParcelAction,
    actor: EventActor,
    details: ChangeDetails,
    now = new Date(),
  ): Promise<AppliedChange> {
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
    await manager.query(
      `UPDATE parcels SET state = $2, method = $3, office_id = $4, courier_id = $5, attempts = $6, custodian = $7,
              failure_reason = $8, next_attempt_at = $9, postal_tracking_number = $10, proof = $11, state_at = $12,
              at_window_since = $13, completed_at = $14
        WHERE id = $1`,
      [
        updated.id,
        updated.state,
        updated.method,
        updated.office_id,
        updated.courier_id,
        updated.attempts,
        updated.custodian,
        updated.failure_reason,
        updated.next_attempt_at,
        updated.postal_tracking_number,
        updated.proof === null ? null : JSON.stringify(updated.proof),
        updated.state_at,
        updated.at_window_since,
        updated.completed_at,
      ],
    );
    await manager.query(
      `INSERT INTO parcel_history
         (parcel_id, action, from_state, to_state, method, failure_reason, attempt, next_attempt_at, actor_sub, actor_role, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        updated.id,
        action.type,
        before.state,
        updated.state,
        updated.method,
        action.type === 'fail' ? (details.failureReason ?? null) : null,
        updated.attempts,
        details.nextAttemptAt ?? null,
        actor.sub,
        actor.role,
        now,
      ],
    );
    if (handoff) {
      await manager.query(
        `INSERT INTO custody_handoffs (parcel_id, from_party, to_party, actor_sub, actor_role, place, receipt_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          updated.id,
          handoff.from,
          handoff.to,
          actor.sub,
          actor.role,
          details.place,
          details.receiptId ?? null,
          now,
        ],
      );
    }
    const pickupCode = reachedWindow ? await this.codes.issue(manager, updated, now) : undefined;
    // Every state change is published; so is a switch to pickup, which readdresses the parcel.
    if (stateChanged || updated.method !== before.method || updated.office_id !== before.office_id) {
      await appendToOutbox(
        manager,
        this.updatedEvent(updated, before.state, actor, details, now, pickupCode),
      );
    }
    return {
      parcel: updated,
      afterCommit: () => {
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
      },
    };
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
