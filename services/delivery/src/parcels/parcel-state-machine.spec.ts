import {
  DELIVERY_METHODS,
  DELIVERY_STATES,
  type DeliveryMethod,
  type DeliveryState,
} from '@tongban/contracts';
import {
  type ParcelAction,
  type ParcelActionType,
  type ParcelFacts,
  transition,
} from './parcel-state-machine';

const OFFICE = '440306001';
const OTHER_OFFICE = '440306002';
const COURIER = 'courier-01';
const policy = { maxFailedAttempts: 3 };

/** The parcel's own office, courier and a custodian that fits the state. */
function facts(
  state: DeliveryState,
  method: DeliveryMethod,
  changes: Partial<ParcelFacts> = {},
): ParcelFacts {
  const custodian: ParcelFacts['custodian'] =
    state === 'created'
      ? 'department:440306-rsj'
      : ['picked_up', 'out_for_delivery', 'delivery_failed', 'rescheduled'].includes(state)
        ? `courier:${COURIER}`
        : state === 'posted'
          ? 'post'
          : ['delivered', 'collected'].includes(state)
            ? 'applicant'
            : `office:${OFFICE}`;
  return { state, method, officeId: OFFICE, courierId: COURIER, attempts: 0, custodian, ...changes };
}

const ACTIONS: Record<ParcelActionType, ParcelAction> = {
  receive: { type: 'receive', officeId: OFFICE },
  assign: { type: 'assign', officeId: OFFICE, courierId: COURIER },
  pick_up: { type: 'pick_up', courierId: COURIER },
  go_out: { type: 'go_out', courierId: COURIER },
  deliver: { type: 'deliver', courierId: COURIER },
  fail: { type: 'fail', courierId: COURIER, reason: 'not_home' },
  reschedule: { type: 'reschedule', courierId: COURIER },
  return_to_window: { type: 'return_to_window', officeId: OFFICE },
  post: { type: 'post', officeId: OFFICE },
  confirm_post_delivery: { type: 'confirm_post_delivery', officeId: OFFICE },
  collect: { type: 'collect', officeId: OFFICE },
  switch_to_pickup: { type: 'switch_to_pickup', officeId: OTHER_OFFICE },
};

/**
 * Every legal (action, method, state) with the state it leads to; every other combination of
 * the 12 actions x 3 methods x 11 states must be refused.
 */
const LEGAL: readonly [ParcelActionType, DeliveryMethod, DeliveryState, DeliveryState][] = [
  ['receive', 'courier', 'created', 'ready_for_dispatch'],
  ['receive', 'post', 'created', 'ready_for_dispatch'],
  ['receive', 'pickup', 'created', 'ready_for_pickup'],
  ['assign', 'courier', 'created', 'created'],
  ['assign', 'courier', 'ready_for_dispatch', 'ready_for_dispatch'],
  ['pick_up', 'courier', 'ready_for_dispatch', 'picked_up'],
  ['go_out', 'courier', 'picked_up', 'out_for_delivery'],
  ['go_out', 'courier', 'rescheduled', 'out_for_delivery'],
  ['deliver', 'courier', 'out_for_delivery', 'delivered'],
  ['fail', 'courier', 'out_for_delivery', 'delivery_failed'],
  ['reschedule', 'courier', 'delivery_failed', 'rescheduled'],
  ['return_to_window', 'courier', 'delivery_failed', 'returned_to_window'],
  ['return_to_window', 'courier', 'rescheduled', 'returned_to_window'],
  ['return_to_window', 'post', 'posted', 'returned_to_window'],
  ['post', 'post', 'ready_for_dispatch', 'posted'],
  ['confirm_post_delivery', 'post', 'posted', 'delivered'],
  ['collect', 'pickup', 'ready_for_pickup', 'collected'],
  ['collect', 'pickup', 'returned_to_window', 'collected'],
  ['switch_to_pickup', 'courier', 'created', 'created'],
  ['switch_to_pickup', 'courier', 'ready_for_dispatch', 'ready_for_dispatch'],
  ['switch_to_pickup', 'post', 'created', 'created'],
  ['switch_to_pickup', 'post', 'ready_for_dispatch', 'ready_for_dispatch'],
];

describe('parcel state machine', () => {
  const combinations = (Object.keys(ACTIONS) as ParcelActionType[]).flatMap((action) =>
    DELIVERY_METHODS.flatMap((method) =>
      DELIVERY_STATES.map(
        (state) => [action, method, state] as [ParcelActionType, DeliveryMethod, DeliveryState],
      ),
    ),
  );

  it('covers all 396 combinations', () => expect(combinations).toHaveLength(12 * 3 * 11));

  it.each(combinations)('%s on a %s parcel in %s', (action, method, state) => {
    const legal = LEGAL.find(([a, m, s]) => a === action && m === method && s === state);
    const result = transition(facts(state, method), ACTIONS[action], policy);
    if (legal) {
      expect(result).toMatchObject({ ok: true, next: { state: legal[3] } });
    } else {
      expect(result).toEqual({ ok: false, reason: expect.any(String) });
    }
  });

  describe('door delivery', () => {
    it('runs created → delivered with a failed attempt and a reschedule, recording each handoff', () => {
      let parcel = facts('created', 'courier', { courierId: null });
      const handoffs: string[] = [];
      const steps: ParcelAction[] = [
        ACTIONS.receive,
        ACTIONS.assign,
        ACTIONS.pick_up,
        ACTIONS.go_out,
        ACTIONS.fail,
        ACTIONS.reschedule,
        ACTIONS.go_out,
        ACTIONS.deliver,
      ];
      const states = steps.map((action) => {
        const result = transition(parcel, action, policy);
        if (!result.ok) throw new Error(result.reason);
        if (result.handoff) handoffs.push(`${result.handoff.from} → ${result.handoff.to}`);
        parcel = result.next;
        return parcel.state;
      });
      expect(states).toEqual([
        'ready_for_dispatch',
        'ready_for_dispatch',
        'picked_up',
        'out_for_delivery',
        'delivery_failed',
        'rescheduled',
        'out_for_delivery',
        'delivered',
      ]);
      expect(parcel.attempts).toBe(1);
      expect(handoffs).toEqual([
        'department:440306-rsj → office:440306001',
        'office:440306001 → courier:courier-01',
        'courier:courier-01 → applicant',
      ]);
    });

    it('counts failed attempts and refuses a reschedule once the limit is reached', () => {
      const failed = transition(facts('out_for_delivery', 'courier', { attempts: 2 }), ACTIONS.fail, policy);
      expect(failed).toMatchObject({ ok: true, next: { state: 'delivery_failed', attempts: 3 } });
      if (!failed.ok) return;
      expect(transition(failed.next, ACTIONS.reschedule, policy)).toEqual({
        ok: false,
        reason: expect.stringMatching(/3 failed attempts reached the limit of 3/),
      });
    });

    it('returns to the window as a pickup parcel, without a courier', () => {
      expect(
        transition(facts('delivery_failed', 'courier', { attempts: 3 }), ACTIONS.return_to_window, policy),
      ).toEqual({
        ok: true,
        next: expect.objectContaining({
          state: 'returned_to_window',
          method: 'pickup',
          courierId: null,
          custodian: 'office:440306001',
        }),
        handoff: { from: 'courier:courier-01', to: 'office:440306001' },
      });
    });

    it('lets only the assigned courier act', () => {
      const other = { courierId: 'courier-02' };
      for (const [action, state] of [
        [{ type: 'pick_up', ...other }, 'ready_for_dispatch'],
        [{ type: 'go_out', ...other }, 'picked_up'],
        [{ type: 'deliver', ...other }, 'out_for_delivery'],
        [{ type: 'fail', reason: 'refused', ...other }, 'out_for_delivery'],
        [{ type: 'reschedule', ...other }, 'delivery_failed'],
      ] as [ParcelAction, DeliveryState][]) {
        expect(transition(facts(state, 'courier'), action, policy)).toEqual({
          ok: false,
          reason: 'the parcel is not assigned to this courier',
        });
      }
    });

    it('refuses delivery before pick-up', () => {
      expect(transition(facts('ready_for_dispatch', 'courier'), ACTIONS.deliver, policy)).toEqual({
        ok: false,
        reason: 'cannot deliver a courier parcel in state ready_for_dispatch',
      });
    });
  });

  describe('offices', () => {
    it('lets only the parcel’s office act on it', () => {
      const elsewhere = { officeId: OTHER_OFFICE };
      for (const [action, state, method] of [
        [{ type: 'receive', ...elsewhere }, 'created', 'pickup'],
        [{ type: 'assign', courierId: COURIER, ...elsewhere }, 'ready_for_dispatch', 'courier'],
        [{ type: 'return_to_window', ...elsewhere }, 'delivery_failed', 'courier'],
        [{ type: 'post', ...elsewhere }, 'ready_for_dispatch', 'post'],
        [{ type: 'confirm_post_delivery', ...elsewhere }, 'posted', 'post'],
        [{ type: 'collect', ...elsewhere }, 'ready_for_pickup', 'pickup'],
      ] as [ParcelAction, DeliveryState, DeliveryMethod][]) {
        expect(transition(facts(state, method), action, policy)).toMatchObject({ ok: false });
      }
    });

    it('does not receive a parcel twice', () => {
      expect(
        transition(facts('ready_for_dispatch', 'pickup'), { type: 'receive', officeId: OFFICE }, policy),
      ).toEqual({ ok: false, reason: 'the parcel is already at this office' });
    });

    it('hands a pickup parcel over only while the window holds it', () => {
      expect(
        transition(
          facts('ready_for_pickup', 'pickup', { custodian: `office:${OTHER_OFFICE}` }),
          ACTIONS.collect,
          policy,
        ),
      ).toMatchObject({ ok: false });
    });
  });

  describe('switch to pickup at another office (通取)', () => {
    it('readdresses a parcel still with the department', () => {
      expect(transition(facts('created', 'courier'), ACTIONS.switch_to_pickup, policy)).toEqual({
        ok: true,
        next: expect.objectContaining({
          state: 'created',
          method: 'pickup',
          officeId: OTHER_OFFICE,
          courierId: null,
        }),
      });
    });

    it('transfers a parcel waiting at the dispatch desk; the new office receives it', () => {
      const switched = transition(facts('ready_for_dispatch', 'courier'), ACTIONS.switch_to_pickup, policy);
      expect(switched).toMatchObject({ ok: true, next: { state: 'ready_for_dispatch', method: 'pickup' } });
      if (!switched.ok) return;
      const received = transition(switched.next, { type: 'receive', officeId: OTHER_OFFICE }, policy);
      expect(received).toEqual({
        ok: true,
        next: expect.objectContaining({ state: 'ready_for_pickup', custodian: `office:${OTHER_OFFICE}` }),
        handoff: { from: 'office:440306001', to: `office:${OTHER_OFFICE}` },
      });
    });

    it('is ready at once when the chosen window is the dispatch office itself', () => {
      expect(
        transition(
          facts('ready_for_dispatch', 'courier'),
          { type: 'switch_to_pickup', officeId: OFFICE },
          policy,
        ),
      ).toMatchObject({ ok: true, next: { state: 'ready_for_pickup', method: 'pickup' } });
    });

    it('is refused once the parcel has left', () => {
      for (const state of ['picked_up', 'out_for_delivery', 'delivery_failed', 'rescheduled'] as const) {
        expect(transition(facts(state, 'courier'), ACTIONS.switch_to_pickup, policy)).toEqual({
          ok: false,
          reason: `the parcel has left (state ${state})`,
        });
      }
    });
  });
});
