import type { DeliveryFailureReason, DeliveryMethod, DeliveryState } from '@tongban/contracts';

/**
 * Who holds a parcel: `department:<id>` (the result is still with the department that decided),
 * `office:<id>` (at a window or dispatch desk), `courier:<id>`, `post` (handed to the postal
 * service) or `applicant` (delivered or collected).
 */
export type Custodian =
  `department:${string}` | `office:${string}` | `courier:${string}` | 'post' | 'applicant';

/** The facts of a parcel the state machine decides on. */
export interface ParcelFacts {
  readonly state: DeliveryState;
  readonly method: DeliveryMethod;
  /** The office responsible now: the dispatch desk (courier, post) or the pickup window. */
  readonly officeId: string;
  readonly courierId: string | null;
  /** Failed door-delivery attempts so far. */
  readonly attempts: number;
  readonly custodian: Custodian;
}

export interface DeliveryPolicy {
  /** After this many failed attempts the parcel may not be rescheduled: it goes back to a window. */
  readonly maxFailedAttempts: number;
}

/** Everything that can happen to a parcel, with who does it (checked here, not only by the caller). */
export type ParcelAction =
  /** Staff of the parcel's office take it in: from the department, or from another office after a switch. */
  | { readonly type: 'receive'; readonly officeId: string }
  /** Staff of the dispatch office give a door delivery to a courier (before it leaves). */
  | { readonly type: 'assign'; readonly officeId: string; readonly courierId: string }
  /** The assigned courier takes the parcel at the office, against a receipt (回执单). */
  | { readonly type: 'pick_up'; readonly courierId: string }
  | { readonly type: 'go_out'; readonly courierId: string }
  | { readonly type: 'deliver'; readonly courierId: string }
  | {
      readonly type: 'fail';
      readonly courierId: string;
      readonly reason: DeliveryFailureReason;
    }
  | { readonly type: 'reschedule'; readonly courierId: string }
  /** Staff of the parcel's office take back a parcel the courier or the post could not deliver. */
  | { readonly type: 'return_to_window'; readonly officeId: string }
  /** Staff of the dispatch office hand a postal delivery to the post. */
  | { readonly type: 'post'; readonly officeId: string }
  /** Staff of the dispatch office record the post's proof of delivery. */
  | { readonly type: 'confirm_post_delivery'; readonly officeId: string }
  /** Staff of the pickup window hand the parcel over after verifying the applicant's proof. */
  | { readonly type: 'collect'; readonly officeId: string }
  /** The applicant (or staff on their behalf) moves a door or postal delivery to pickup at an office. */
  | { readonly type: 'switch_to_pickup'; readonly officeId: string };

export type ParcelActionType = ParcelAction['type'];

export interface Handoff {
  readonly from: Custodian;
  readonly to: Custodian;
}

export type TransitionResult =
  | {
      readonly ok: true;
      readonly next: ParcelFacts;
      /** A change of hands to record in the chain of custody, when there is one. */
      readonly handoff?: Handoff;
    }
  | { readonly ok: false; readonly reason: string };

/** States in which the parcel is still at an office (or the department): it has not left. */
export const NOT_YET_LEFT: readonly DeliveryState[] = ['created', 'ready_for_dispatch'];

/** States in which the applicant may collect at the parcel's office window. */
export const AT_WINDOW: readonly DeliveryState[] = ['ready_for_pickup', 'returned_to_window'];

export const FINAL_STATES: readonly DeliveryState[] = ['delivered', 'collected'];

const office = (id: string): Custodian => `office:${id}`;
const courier = (id: string): Custodian => `courier:${id}`;

function refuse(reason: string): TransitionResult {
  return { ok: false, reason };
}

function illegal(facts: ParcelFacts, action: ParcelActionType): TransitionResult {
  return refuse(`cannot ${action.replaceAll('_', ' ')} a ${facts.method} parcel in state ${facts.state}`);
}

function moveTo(facts: ParcelFacts, changes: Partial<ParcelFacts>, to?: Custodian): TransitionResult {
  const next = { ...facts, ...changes, ...(to ? { custodian: to } : {}) };
  return to && to !== facts.custodian
    ? { ok: true, next, handoff: { from: facts.custodian, to } }
    : { ok: true, next };
}

/**
 * The parcel life cycle as one pure function: the next facts for an action, or why the action is
 * refused (the API answers 409 and changes nothing). Door delivery:
 * created → ready_for_dispatch → picked_up → out_for_delivery → delivered, with
 * out_for_delivery → delivery_failed → rescheduled → out_for_delivery, and after the last allowed
 * failure delivery_failed → returned_to_window (switching to pickup). Post:
 * created → ready_for_dispatch → posted → delivered (or returned_to_window). Pickup (通取):
 * created → ready_for_pickup → collected.
 */
export function transition(
  facts: ParcelFacts,
  action: ParcelAction,
  policy: DeliveryPolicy,
): TransitionResult {
  const { state, method } = facts;
  switch (action.type) {
    case 'receive': {
      if (action.officeId !== facts.officeId) return refuse('the parcel is not addressed to this office');
      if (facts.custodian === office(action.officeId)) return refuse('the parcel is already at this office');
      if (state === 'created') {
        const to = method === 'pickup' ? 'ready_for_pickup' : 'ready_for_dispatch';
        return moveTo(facts, { state: to }, office(action.officeId));
      }
      // In transfer after a switch to pickup at another office.
      if (state === 'ready_for_dispatch' && method === 'pickup') {
        return moveTo(facts, { state: 'ready_for_pickup' }, office(action.officeId));
      }
      return illegal(facts, action.type);
    }
    case 'assign': {
      if (action.officeId !== facts.officeId) return refuse('the parcel is not dispatched by this office');
      if (method !== 'courier' || !NOT_YET_LEFT.includes(state)) return illegal(facts, action.type);
      return moveTo(facts, { courierId: action.courierId });
    }
    case 'pick_up': {
      if (facts.courierId !== action.courierId) return refuse('the parcel is not assigned to this courier');
      if (method !== 'courier' || state !== 'ready_for_dispatch') return illegal(facts, action.type);
      return moveTo(facts, { state: 'picked_up' }, courier(action.courierId));
    }
    case 'go_out': {
      if (facts.courierId !== action.courierId) return refuse('the parcel is not assigned to this courier');
      if (method !== 'courier' || (state !== 'picked_up' && state !== 'rescheduled'))
        return illegal(facts, action.type);
      return moveTo(facts, { state: 'out_for_delivery' });
    }
    case 'deliver': {
      if (facts.courierId !== action.courierId) return refuse('the parcel is not assigned to this courier');
      if (method !== 'courier' || state !== 'out_for_delivery') return illegal(facts, action.type);
      return moveTo(facts, { state: 'delivered' }, 'applicant');
    }
    case 'fail': {
      if (facts.courierId !== action.courierId) return refuse('the parcel is not assigned to this courier');
      if (method !== 'courier' || state !== 'out_for_delivery') return illegal(facts, action.type);
      return moveTo(facts, { state: 'delivery_failed', attempts: facts.attempts + 1 });
    }
    case 'reschedule': {
      if (facts.courierId !== action.courierId) return refuse('the parcel is not assigned to this courier');
      if (method !== 'courier' || state !== 'delivery_failed') return illegal(facts, action.type);
      if (facts.attempts >= policy.maxFailedAttempts) {
        return refuse(
          `${facts.attempts} failed attempts reached the limit of ${policy.maxFailedAttempts}: the parcel goes back to a window`,
        );
      }
      return moveTo(facts, { state: 'rescheduled' });
    }
    case 'return_to_window': {
      if (action.officeId !== facts.officeId) return refuse('the parcel is not dispatched by this office');
      const returnable =
        (method === 'courier' && (state === 'delivery_failed' || state === 'rescheduled')) ||
        (method === 'post' && state === 'posted');
      if (!returnable) return illegal(facts, action.type);
      return moveTo(
        facts,
        { state: 'returned_to_window', method: 'pickup', courierId: null },
        office(action.officeId),
      );
    }
    case 'post': {
      if (action.officeId !== facts.officeId) return refuse('the parcel is not dispatched by this office');
      if (method !== 'post' || state !== 'ready_for_dispatch') return illegal(facts, action.type);
      return moveTo(facts, { state: 'posted' }, 'post');
    }
    case 'confirm_post_delivery': {
      if (action.officeId !== facts.officeId) return refuse('the parcel is not dispatched by this office');
      if (method !== 'post' || state !== 'posted') return illegal(facts, action.type);
      return moveTo(facts, { state: 'delivered' }, 'applicant');
    }
    case 'collect': {
      if (action.officeId !== facts.officeId) return refuse('the parcel is not at this office');
      if (method !== 'pickup' || !AT_WINDOW.includes(state) || facts.custodian !== office(action.officeId))
        return illegal(facts, action.type);
      return moveTo(facts, { state: 'collected' }, 'applicant');
    }
    case 'switch_to_pickup': {
      if (method === 'pickup') return refuse('the parcel is already for pickup');
      if (!NOT_YET_LEFT.includes(state)) return refuse(`the parcel has left (state ${state})`);
      const changes = { method: 'pickup' as const, officeId: action.officeId, courierId: null };
      if (state === 'created') return moveTo(facts, changes);
      // At the dispatch desk: ready at once when it is the chosen window, else it is transferred.
      const here = facts.custodian === office(action.officeId);
      return moveTo(facts, { ...changes, state: here ? 'ready_for_pickup' : 'ready_for_dispatch' });
    }
  }
}
