import type { Actor } from '@tongban/auth';
import { type RectificationFacts, RectificationRefusal, transition } from './rectification-machine';

const owner: Actor = { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001' };
const colleague: Actor = { sub: 'staff-xinan-2', role: 'office_staff', officeId: '440306001' };
const operator: Actor = { sub: 'operator', role: 'operator' };
const supervisor: Actor = { sub: 'boss', role: 'reviewer', departmentId: '440306-rsj', supervisor: true };
const reviewer: Actor = { sub: 'rev', role: 'reviewer', departmentId: '440306-rsj', supervisor: false };

const OPEN: RectificationFacts = {
  state: 'open',
  ownerSub: 'staff-xinan',
  ownerRole: 'office_staff',
  departmentId: '440306-rsj',
  visitedAt: null,
  appealDecision: null,
};
const VISIT_DAY = new Date('2026-11-30T02:00:00Z');
const NEXT_DAY = new Date('2026-12-01T02:00:00Z');
const sameDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

function refusal(run: () => unknown): RectificationRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof RectificationRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('rectification state machine (谁办理、谁负责)', () => {
  it('runs visit → verify (confirmed) → rectify, feeding back a fix on the visit’s day as 立行立改', () => {
    const visited = transition(OPEN, { kind: 'visit', note: '电话回访' }, owner, VISIT_DAY, sameDay);
    expect(visited).toEqual({ state: 'visited', set: { visited_at: VISIT_DAY, visit_note: '电话回访' } });
    const verified = transition(
      { ...OPEN, state: 'visited', visitedAt: VISIT_DAY },
      { kind: 'verify', verdict: 'confirmed', note: '情况属实' },
      owner,
      VISIT_DAY,
      sameDay,
    );
    expect(verified.state).toBe('rectifying');
    expect(verified.feedback).toBeUndefined();
    const fixed = transition(
      { ...OPEN, state: 'rectifying', visitedAt: VISIT_DAY },
      { kind: 'rectify', note: '已当场补正' },
      owner,
      VISIT_DAY,
      sameDay,
    );
    expect(fixed.state).toBe('rectified');
    expect(fixed.feedback).toEqual({ outcome: 'fixed_on_the_spot', note: '已当场补正' });
    expect(fixed.set['closed_at']).toEqual(VISIT_DAY);
  });

  it('feeds back a later fix as rectified within the limit', () => {
    const fixed = transition(
      { ...OPEN, state: 'rectifying', visitedAt: VISIT_DAY },
      { kind: 'rectify', note: '已完成整改' },
      owner,
      NEXT_DAY,
      sameDay,
    );
    expect(fixed.feedback?.outcome).toBe('rectified');
    expect(fixed.set['rectification']).toBe('rectified');
  });

  it('closes an unconfirmed complaint as explained, fed back to the rater', () => {
    const explained = transition(
      { ...OPEN, state: 'visited', visitedAt: VISIT_DAY },
      { kind: 'verify', verdict: 'not_confirmed', note: '已向群众解释政策' },
      owner,
      NEXT_DAY,
      sameDay,
    );
    expect(explained.state).toBe('explained');
    expect(explained.feedback).toEqual({ outcome: 'explained', note: '已向群众解释政策' });
  });

  it('refuses anyone but the owner with 403, even a colleague of the same office or an operator', () => {
    for (const actor of [colleague, operator, supervisor]) {
      const refused = refusal(() =>
        transition(OPEN, { kind: 'visit', note: 'x' }, actor, VISIT_DAY, sameDay),
      );
      expect(refused.status).toBe(403);
      expect(refused.reason).toMatch(/谁办理、谁负责/);
    }
  });

  it('lets the department’s supervisors own a stage no person handled (秒批), but not a plain reviewer', () => {
    const system = { ...OPEN, ownerSub: null, ownerRole: 'system' };
    expect(transition(system, { kind: 'visit', note: '回访' }, supervisor, VISIT_DAY, sameDay).state).toBe(
      'visited',
    );
    expect(
      refusal(() => transition(system, { kind: 'visit', note: '回访' }, reviewer, VISIT_DAY, sameDay)).status,
    ).toBe(403);
  });

  it('refuses steps out of order with 409 naming the state', () => {
    const refused = refusal(() =>
      transition(OPEN, { kind: 'rectify', note: 'x' }, owner, VISIT_DAY, sameDay),
    );
    expect(refused.status).toBe(409);
    expect(refused.field).toBe('state');
    expect(refused.reason).toBe('cannot rectify a rectification that is open');
    expect(
      refusal(() =>
        transition({ ...OPEN, state: 'rectified' }, { kind: 'visit', note: 'x' }, owner, VISIT_DAY, sameDay),
      ).status,
    ).toBe(409);
  });

  it('runs an appeal: the owner appeals after the visit, only an operator or admin decides', () => {
    const visited = { ...OPEN, state: 'visited' as const, visitedAt: VISIT_DAY };
    const appealed = transition(
      visited,
      { kind: 'appeal', reason: '评价与本事项无关' },
      owner,
      NEXT_DAY,
      sameDay,
    );
    expect(appealed.state).toBe('appealed');
    const underAppeal = { ...visited, state: 'appealed' as const };
    expect(
      refusal(() =>
        transition(
          underAppeal,
          { kind: 'decide_appeal', decision: 'upheld', note: 'x' },
          owner,
          NEXT_DAY,
          sameDay,
        ),
      ).status,
    ).toBe(403);
    const upheld = transition(
      underAppeal,
      { kind: 'decide_appeal', decision: 'upheld', note: '经核查为误评' },
      operator,
      NEXT_DAY,
      sameDay,
    );
    expect(upheld.state).toBe('withdrawn');
    expect(upheld.feedback).toEqual({ outcome: 'rating_withdrawn', note: '经核查为误评' });
    expect(upheld.set['appeal_decided_by']).toBe('operator');
    const rejected = transition(
      underAppeal,
      { kind: 'decide_appeal', decision: 'rejected', note: '申诉理由不成立' },
      operator,
      NEXT_DAY,
      sameDay,
    );
    expect(rejected).toMatchObject({ state: 'visited', set: { appeal_decision: 'rejected' } });
    expect(rejected.feedback).toBeUndefined();
  });

  it('allows one appeal only', () => {
    const again = { ...OPEN, state: 'visited' as const, visitedAt: VISIT_DAY, appealDecision: 'rejected' };
    const refused = refusal(() =>
      transition(again, { kind: 'appeal', reason: '再次申诉' }, owner, NEXT_DAY, sameDay),
    );
    expect(refused).toMatchObject({ status: 409, reason: 'this rectification was appealed once already' });
  });
});
