import type { Actor } from '@tongban/auth';
import type { RatingFeedbackOutcome } from '@tongban/contracts';

/**
 * A 差评's rectification (差评整改): the handler of the rated stage visits the rater (回访), then
 * verifies the complaint (核实). Confirmed, it is fixed (at once, or within the working-day
 * limit); not confirmed, the handler explains to the rater. After the visit the handler may
 * instead appeal (申诉) a rating shown to be wrong; a reviewer upholds the appeal (the rating is
 * withdrawn) or rejects it (back to verification, no second appeal). The three endings feed the
 * outcome back to the rater.
 */
export const RECTIFICATION_STATES = [
  'open',
  'visited',
  'rectifying',
  'appealed',
  'rectified',
  'explained',
  'withdrawn',
] as const;
export type RectificationState = (typeof RECTIFICATION_STATES)[number];

export const CLOSED_STATES: readonly RectificationState[] = ['rectified', 'explained', 'withdrawn'];

export type RectificationAction =
  | { readonly kind: 'visit'; readonly note: string }
  | { readonly kind: 'verify'; readonly verdict: 'confirmed' | 'not_confirmed'; readonly note: string }
  | { readonly kind: 'rectify'; readonly note: string }
  | { readonly kind: 'appeal'; readonly reason: string }
  | { readonly kind: 'decide_appeal'; readonly decision: 'upheld' | 'rejected'; readonly note: string };

/** What a rectification's state machine needs to know of the record. */
export interface RectificationFacts {
  readonly state: RectificationState;
  readonly ownerSub: string | null;
  readonly ownerRole: string;
  readonly departmentId: string | null;
  readonly visitedAt: Date | null;
  readonly appealDecision: string | null;
}

/** The columns a transition writes, and the feedback it sends to the rater, if it ends the record. */
export interface RectificationChange {
  readonly state: RectificationState;
  readonly set: Readonly<Record<string, string | Date | null>>;
  readonly feedback?: { readonly outcome: RatingFeedbackOutcome; readonly note: string };
}

/** A refused action: the HTTP status, and the reason the body names. */
export class RectificationRefusal extends Error {
  constructor(
    readonly status: 403 | 409,
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RectificationRefusal';
  }
}

const FROM: Readonly<Record<RectificationAction['kind'], readonly RectificationState[]>> = {
  visit: ['open'],
  verify: ['visited'],
  rectify: ['rectifying'],
  appeal: ['visited'],
  decide_appeal: ['appealed'],
};

/**
 * 谁办理、谁负责: the staff member who handled the stage owns its rectification. A stage with no
 * person behind it (a 秒批 decision) is owned by the deciding department's supervisors. Appeals
 * are decided by operators or admins of the supervision platform, never by the owner.
 */
export function mayAct(
  actor: Actor,
  facts: RectificationFacts,
  action: RectificationAction['kind'],
): boolean {
  if (action === 'decide_appeal') return actor.role === 'operator' || actor.role === 'admin';
  if (facts.ownerSub !== null) return actor.sub === facts.ownerSub;
  return actor.role === 'reviewer' && actor.supervisor && actor.departmentId === facts.departmentId;
}

/** One step of the state machine, or a refusal naming why. Pure: the caller writes the change. */
export function transition(
  facts: RectificationFacts,
  action: RectificationAction,
  actor: Actor,
  now: Date,
  sameWorkingDay: (a: Date, b: Date) => boolean,
): RectificationChange {
  if (!mayAct(actor, facts, action.kind)) {
    throw new RectificationRefusal(
      403,
      'actor',
      action.kind === 'decide_appeal'
        ? 'an appeal is decided by the supervision platform (operator or admin), not by the handler'
        : 'only the handler of the rated stage owns this rectification (谁办理、谁负责)',
    );
  }
  if (!FROM[action.kind].includes(facts.state)) {
    throw new RectificationRefusal(
      409,
      'state',
      `cannot ${action.kind.replace('_', ' ')} a rectification that is ${facts.state}`,
    );
  }
  switch (action.kind) {
    case 'visit':
      return { state: 'visited', set: { visited_at: now, visit_note: action.note } };
    case 'verify':
      return action.verdict === 'confirmed'
        ? { state: 'rectifying', set: { verified_at: now, verification_note: action.note } }
        : {
            state: 'explained',
            set: { verified_at: now, verification_note: action.note, closed_at: now },
            feedback: { outcome: 'explained', note: action.note },
          };
    case 'rectify': {
      // 立行立改: fixed on the working day of the return visit; otherwise 限期整改.
      const atOnce = facts.visitedAt !== null && sameWorkingDay(facts.visitedAt, now);
      const outcome = atOnce ? 'fixed_on_the_spot' : 'rectified';
      return {
        state: 'rectified',
        set: { rectified_at: now, rectification: outcome, rectification_note: action.note, closed_at: now },
        feedback: { outcome, note: action.note },
      };
    }
    case 'appeal':
      if (facts.appealDecision !== null)
        throw new RectificationRefusal(409, 'state', 'this rectification was appealed once already');
      return { state: 'appealed', set: { appealed_at: now, appeal_reason: action.reason } };
    case 'decide_appeal':
      return action.decision === 'upheld'
        ? {
            state: 'withdrawn',
            set: {
              appeal_decision: 'upheld',
              appeal_decided_at: now,
              appeal_decided_by: actor.sub,
              appeal_note: action.note,
              closed_at: now,
            },
            feedback: { outcome: 'rating_withdrawn', note: action.note },
          }
        : {
            state: 'visited',
            set: {
              appeal_decision: 'rejected',
              appeal_decided_at: now,
              appeal_decided_by: actor.sub,
              appeal_note: action.note,
            },
          };
  }
}
