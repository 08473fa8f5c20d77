import type { DeliveryState } from '@tongban/contracts';

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** States in which the courier's next step is now: pick it up, leave, hand it over. */
export const DUE_NOW_STATES: readonly DeliveryState[] = [
  'ready_for_dispatch',
  'picked_up',
  'out_for_delivery',
];
/** States waiting for the agreed next attempt: due on the day of `next_attempt_at`. */
export const DUE_AT_NEXT_ATTEMPT_STATES: readonly DeliveryState[] = ['delivery_failed', 'rescheduled'];

/** What "due today" means for a courier's parcels at `now`: next step now, or an attempt agreed before the day ends. */
export interface DueWindow {
  readonly dueNowStates: readonly DeliveryState[];
  readonly attemptStates: readonly DeliveryState[];
  /** The start of the next day in China: an attempt agreed before it is due today (or overdue). */
  readonly attemptBefore: Date;
}

export function dueToday(now: Date): DueWindow {
  const chinaMidnight = Math.floor((now.getTime() + CHINA_OFFSET_MS) / 86400000) * 86400000 - CHINA_OFFSET_MS;
  return {
    dueNowStates: DUE_NOW_STATES,
    attemptStates: DUE_AT_NEXT_ATTEMPT_STATES,
    attemptBefore: new Date(chinaMidnight + 86400000),
  };
}
