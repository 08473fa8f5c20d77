import type { TimelineEntry } from './case-store';
import { departmentProgress } from './department-progress';

const entry = (stage: string, detail: Record<string, unknown>): TimelineEntry => ({
  stage,
  detail,
  occurred_at: new Date('2026-12-01T02:00:00Z'),
  event_type: 'case.test',
  office_id: null,
  department_id: null,
  actor_role: null,
});

const routed = entry('routed', {
  assignments: [
    { departmentId: '440303-scjg', districtCode: '440303', role: 'primary' },
    { departmentId: '440303-sw', districtCode: '440303', role: 'parallel' },
  ],
});

describe('departmentProgress (N证联办)', () => {
  it('is empty before routing, and every assigned department pending once routed', () => {
    expect(departmentProgress([entry('submitted', {})])).toEqual([]);
    expect(departmentProgress([entry('submitted', {}), routed])).toEqual([
      { departmentId: '440303-scjg', role: 'primary', state: 'pending', documentNumber: null },
      { departmentId: '440303-sw', role: 'parallel', state: 'pending', documentNumber: null },
    ]);
  });

  it('shows each department’s outcome and document once decided', () => {
    const decided = entry('approved', {
      departments: [
        { departmentId: '440303-scjg', outcome: 'approved', documentNumber: '罗市监〔2026〕1号' },
        { departmentId: '440303-sw', outcome: 'approved', documentNumber: '罗税〔2026〕2号' },
      ],
    });
    expect(departmentProgress([routed, decided]).map((d) => [d.state, d.documentNumber])).toEqual([
      ['approved', '罗市监〔2026〕1号'],
      ['approved', '罗税〔2026〕2号'],
    ]);
  });

  it('follows a re-route: the new departments, pending', () => {
    const reRouted = entry('re_routed', {
      assignments: [{ departmentId: '440303-ga', districtCode: '440303', role: 'primary' }],
    });
    expect(departmentProgress([routed, reRouted])).toEqual([
      { departmentId: '440303-ga', role: 'primary', state: 'pending', documentNumber: null },
    ]);
  });

  it('shows a rejection, and a decision without documents (before they were listed) as null', () => {
    const rejected = entry('rejected', {
      departments: [{ departmentId: '440303-sw', outcome: 'rejected' }],
    });
    expect(
      departmentProgress([routed, rejected]).map((d) => [d.departmentId, d.state, d.documentNumber]),
    ).toEqual([
      ['440303-scjg', 'pending', null],
      ['440303-sw', 'rejected', null],
    ]);
  });
});
