import { type DepartmentDecision, type DepartmentPart, joinDecisions } from './parallel-join';

const reviewer = (departmentId: string) => ({
  sub: `reviewer-${departmentId}`,
  role: 'reviewer' as const,
  departmentId,
});

function decided(
  departmentId: string,
  outcome: 'approved' | 'rejected',
  minute: number,
  origin: DepartmentDecision['origin'] = 'reviewer',
): DepartmentPart {
  return {
    departmentId,
    role: departmentId === 'scjg' ? 'primary' : 'parallel',
    state: outcome,
    decision: {
      departmentId,
      outcome,
      origin,
      decidedBy: origin === 'auto' ? { sub: 'approval-auto', role: 'system' } : reviewer(departmentId),
      decidedAt: `2026-11-24T02:${String(minute).padStart(2, '0')}:00.000Z`,
      ...(outcome === 'rejected' ? { reasonCode: 'not_eligible', reasonText: '不符合条件' } : {}),
    },
  };
}

const open = (departmentId: string, state: DepartmentPart['state'] = 'open'): DepartmentPart => ({
  departmentId,
  role: departmentId === 'scjg' ? 'primary' : 'parallel',
  state,
});

describe('并联审批 join', () => {
  it('waits until every assigned department decided', () => {
    expect(
      joinDecisions([decided('scjg', 'approved', 1), open('sw'), open('ga', 'supplement_requested')]),
    ).toEqual({ kind: 'pending', waitingFor: ['sw', 'ga'] });
  });

  it('approves only when all approve, listing the decisions in order', () => {
    const result = joinDecisions([
      decided('scjg', 'approved', 3),
      decided('sw', 'approved', 1),
      decided('ga', 'approved', 2),
    ]);
    expect(result.kind).toBe('approved');
    expect(result.kind === 'approved' && result.decisions.map((d) => d.departmentId)).toEqual([
      'sw',
      'ga',
      'scjg',
    ]);
    expect(result.kind === 'approved' && result.origin).toBe('reviewer');
  });

  it('rejects on the first rejection and withdraws the departments still working', () => {
    const result = joinDecisions([
      decided('scjg', 'approved', 1),
      decided('sw', 'rejected', 2),
      open('ga', 'supplement_requested'),
      open('wjj'),
    ]);
    expect(result).toMatchObject({
      kind: 'rejected',
      rejection: { departmentId: 'sw', reasonCode: 'not_eligible' },
      withdraw: ['ga', 'wjj'],
    });
    expect(result.kind === 'rejected' && result.decisions.map((d) => d.departmentId)).toEqual(['scjg', 'sw']);
  });

  it('takes the earliest of two rejections as the case decision', () => {
    const result = joinDecisions([decided('scjg', 'rejected', 5), decided('sw', 'rejected', 4)]);
    expect(result.kind === 'rejected' && result.rejection.departmentId).toBe('sw');
  });

  it('ignores the withdrawn parts of a superseded routing', () => {
    expect(joinDecisions([open('scjg', 'withdrawn'), decided('sw', 'approved', 1)])).toMatchObject({
      kind: 'approved',
    });
    expect(joinDecisions([open('scjg', 'withdrawn')])).toEqual({ kind: 'pending', waitingFor: [] });
  });

  it('is an auto decision only when 秒批 decided every part', () => {
    expect(joinDecisions([decided('scjg', 'approved', 1, 'auto')])).toMatchObject({
      kind: 'approved',
      origin: 'auto',
    });
    expect(
      joinDecisions([decided('scjg', 'approved', 1, 'auto'), decided('sw', 'approved', 2)]),
    ).toMatchObject({ kind: 'approved', origin: 'reviewer' });
  });
});
