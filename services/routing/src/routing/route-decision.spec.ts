import { bundledReferenceFiles, loadReferenceData, parseReferenceData } from '@tongban/reference-data';
import { ruleIdFor, type RuleDraft, RuleSet, type RuleVersion } from '../rules/routing-rule';
import { seedDrafts } from '../rules/rule-seed';
import { decideRoute, manualRoute, type RouteDecision, type RouteRequest } from './route-decision';

const reference = loadReferenceData();
const BAOAN_OFFICE = '440306001';
const LUOHU_OFFICE = '440303001';
const ZHONGKAI_OFFICE = '441305001';
const NOW = new Date('2026-11-24T02:00:00Z');

const asVersion = (draft: RuleDraft, version = 1): RuleVersion => ({
  ...draft,
  ruleId: ruleIdFor(draft.itemCode, draft.region),
  version,
});
const seeded = (extra: RuleVersion[] = []) =>
  new RuleSet([...seedDrafts(reference).map((d) => asVersion(d)), ...extra], 1);

function request(overrides: Partial<RouteRequest> = {}): RouteRequest {
  return {
    itemCode: 'RS-JYCYZ-004',
    officeId: BAOAN_OFFICE,
    applicant: { kind: 'person', householdDistrict: '440303' },
    acceptedAt: new Date('2026-11-24T01:00:00Z'),
    ...overrides,
  };
}

function routed(decision: RouteDecision) {
  if (decision.outcome !== 'routed') throw new Error(`unroutable: ${decision.reason} ${decision.detail}`);
  return decision;
}

describe('decideRoute: jurisdiction bases', () => {
  it('household district (属地): a Bao’an window routes a Luohu resident’s case to Luohu, cross-district', () => {
    const decision = routed(decideRoute(request(), seeded(), reference, NOW));
    expect(decision.basis).toBe('household_district');
    expect(decision.assignments).toEqual([
      { departmentId: '440303-rsj', districtCode: '440303', role: 'primary' },
    ]);
    expect(decision.crossDistrict).toBe(true);
    expect(decision.rule).toEqual({ ruleId: 'RS-JYCYZ-004', version: 1 });
    expect(decision.explanation.inputs).toMatchObject({
      officeDistrict: '440306',
      householdDistrict: '440303',
    });
    expect(decision.explanation.steps.join('\n')).toContain('household district is 440303');
  });

  it('household district of the accepting district is not cross-district', () => {
    const decision = routed(decideRoute(request({ officeId: LUOHU_OFFICE }), seeded(), reference, NOW));
    expect(decision.crossDistrict).toBe(false);
  });

  it('registered district: a company’s case goes where it is registered', () => {
    const decision = routed(
      decideRoute(
        request({ itemCode: 'SJ-YPLS-004', applicant: { kind: 'company', registeredDistrict: '440309' } }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.basis).toBe('registered_district');
    expect(decision.assignments[0]).toMatchObject({ departmentId: '440309-scjg', role: 'primary' });
    expect(decision.crossDistrict).toBe(true);
  });

  it('accepting office: the office’s own district decides, whatever the applicant’s household', () => {
    const decision = routed(
      decideRoute(
        request({ itemCode: 'WJ-YSZC-003', applicant: { kind: 'person', householdDistrict: '440303' } }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.basis).toBe('accepting_office');
    expect(decision.assignments[0]?.departmentId).toBe('440306-wjj');
    expect(decision.crossDistrict).toBe(false);
  });

  it('fixed department: the city department, not cross-district for an office in that city', () => {
    const decision = routed(decideRoute(request({ itemCode: 'MZ-HYDACX-004' }), seeded(), reference, NOW));
    expect(decision.basis).toBe('fixed_department');
    expect(decision.assignments[0]).toEqual({
      departmentId: '4403-mz',
      districtCode: '4403',
      role: 'primary',
    });
    expect(decision.competentRegion).toBe('4403');
    expect(decision.crossDistrict).toBe(false);
  });

  it('a city-level type of a district (仲恺 hands 出入境 to 惠州市) resolves to the city department', () => {
    const decision = routed(
      decideRoute(
        request({
          itemCode: 'CRJ-GAQZ-001',
          officeId: BAOAN_OFFICE,
          applicant: { kind: 'person', householdDistrict: '441305' },
        }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.assignments[0]).toMatchObject({ departmentId: '4413-crj', districtCode: '4413' });
    expect(decision.crossDistrict).toBe(true);
  });
});

describe('decideRoute: parallel approval (并联审批)', () => {
  it('assigns the parallel department types in the competent district', () => {
    const decision = routed(
      decideRoute(
        request({ itemCode: 'SJ-SPJY-003', applicant: { kind: 'company', registeredDistrict: '440303' } }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.assignments).toEqual([
      { departmentId: '440303-scjg', districtCode: '440303', role: 'primary' },
      { departmentId: '440303-wjj', districtCode: '440303', role: 'parallel' },
    ]);
  });

  it('assigns several parallel departments in order', () => {
    const decision = routed(
      decideRoute(
        request({
          itemCode: 'SJ-NZGS-002',
          officeId: LUOHU_OFFICE,
          applicant: { kind: 'company', registeredDistrict: '440303' },
        }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.assignments.map((a) => `${a.role}:${a.departmentId}`)).toEqual([
      'primary:440303-scjg',
      'parallel:440303-sw',
      'parallel:440303-ga',
    ]);
  });
});

describe('decideRoute: overrides', () => {
  it('a city override hands the item to the city department for a district inside the city', () => {
    const decision = routed(decideRoute(request({ itemCode: 'YB-MTBZ-004' }), seeded(), reference, NOW));
    expect(decision.assignments[0]?.departmentId).toBe('4403-ybj');
    expect(decision.rule).toEqual({ ruleId: 'YB-MTBZ-004@4403', version: 1 });
    expect(decision.explanation.rules).toEqual([
      { ruleId: 'YB-MTBZ-004', version: 1 },
      { ruleId: 'YB-MTBZ-004@4403', version: 1 },
    ]);
  });

  it('does not apply a city override to a district of another city', () => {
    const decision = routed(
      decideRoute(
        request({ itemCode: 'YB-YDJYBA-001', applicant: { kind: 'person', householdDistrict: '441305' } }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.assignments[0]?.departmentId).toBe('441305-ybj');
  });

  it('a district override beats the city override', () => {
    const district = asVersion({
      itemCode: 'YB-MTBZ-004',
      region: '440303',
      effectiveFrom: new Date('2026-01-01T00:00:00Z'),
      effectiveTo: null,
      basis: null,
      departmentType: 'ybj',
      departmentId: null,
      parallelDepartmentTypes: null,
      note: 'Luohu keeps its own',
    });
    const decision = routed(
      decideRoute(request({ itemCode: 'YB-MTBZ-004' }), seeded([district]), reference, NOW),
    );
    expect(decision.assignments[0]?.departmentId).toBe('440303-ybj');
    expect(decision.rule).toEqual({ ruleId: 'YB-MTBZ-004@440303', version: 1 });
  });
});

describe('decideRoute: effective time', () => {
  const switchAt = new Date('2026-12-01T00:00:00Z');
  const v1: RuleVersion = {
    ...asVersion(seedDrafts(reference).find((d) => d.itemCode === 'RS-JYCYZ-004')!),
    effectiveTo: switchAt,
  };
  const v2: RuleVersion = {
    ...v1,
    version: 2,
    effectiveFrom: switchAt,
    effectiveTo: null,
    basis: 'accepting_office',
  };
  const rules = new RuleSet([v1, v2], 2);

  it('routes by version 1 until the instant version 2 starts, and by version 2 from it', () => {
    const before = routed(decideRoute(request(), rules, reference, new Date(switchAt.getTime() - 1)));
    const after = routed(decideRoute(request(), rules, reference, switchAt));
    expect([before.rule?.version, before.assignments[0]?.departmentId]).toEqual([1, '440303-rsj']);
    expect([after.rule?.version, after.assignments[0]?.departmentId]).toEqual([2, '440306-rsj']);
  });

  it('has no rule before the first version is in force', () => {
    const late = new RuleSet([{ ...v2, version: 1 }], 1);
    const decision = decideRoute(request(), late, reference, new Date(switchAt.getTime() - 1));
    expect(decision).toMatchObject({ outcome: 'unroutable', reason: 'no_rule' });
  });
});

describe('decideRoute: SLA due time on the competent district’s working days', () => {
  it('a 5-day item accepted the Friday before the Spring Festival counts the make-up Saturday and skips the holiday', () => {
    // Day 1 Sat 02-14 (调休上班), 02-15..23 holiday, then 24, 25, 26, 27: due at closing time of Fri 02-27.
    const decision = routed(
      decideRoute(request({ acceptedAt: new Date('2026-02-13T07:00:00Z') }), seeded(), reference, NOW),
    );
    expect(decision.timeLimitDays).toBe(5);
    expect(decision.slaDueAt.toISOString()).toBe('2026-02-27T10:00:00.000Z');
  });

  it('a 7-day item also counts the second make-up Saturday (02-28) and lands on Monday 03-02', () => {
    const decision = routed(
      decideRoute(
        request({ itemCode: 'GA-WFZJL-001', acceptedAt: new Date('2026-02-13T07:00:00Z') }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.slaDueAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('runs on the deciding city’s hours: a Huizhou department closes at 17:30', () => {
    const decision = routed(
      decideRoute(
        request({
          itemCode: 'CRJ-GAQZ-001',
          applicant: { kind: 'person', householdDistrict: '441305' },
          acceptedAt: new Date('2026-02-13T07:00:00Z'),
        }),
        seeded(),
        reference,
        NOW,
      ),
    );
    expect(decision.slaDueAt.toISOString()).toBe('2026-03-02T09:30:00.000Z');
  });
});

describe('decideRoute: unroutable', () => {
  it('an item unknown to the reference data', () => {
    expect(decideRoute(request({ itemCode: 'XX-NOPE-999' }), seeded(), reference, NOW)).toMatchObject({
      outcome: 'unroutable',
      reason: 'unknown_item',
    });
  });

  it('an item with no rule in force', () => {
    expect(decideRoute(request(), new RuleSet([], 0), reference, NOW)).toMatchObject({
      outcome: 'unroutable',
      reason: 'no_rule',
      rule: undefined,
    });
  });

  it('a basis whose district the case does not give', () => {
    const decision = decideRoute(
      request({ applicant: { kind: 'company', registeredDistrict: '440303' } }),
      seeded(),
      reference,
      NOW,
    );
    expect(decision).toMatchObject({
      outcome: 'unroutable',
      reason: 'unknown_district',
      rule: { ruleId: 'RS-JYCYZ-004' },
    });
  });

  it('a district outside the reference data', () => {
    const decision = decideRoute(
      request({ applicant: { kind: 'person', householdDistrict: '110101' } }),
      seeded(),
      reference,
      NOW,
    );
    expect(decision).toMatchObject({ outcome: 'unroutable', reason: 'unknown_district' });
  });

  it('a disabled competent department', () => {
    const files = bundledReferenceFiles();
    const { departments } = files.departments as { departments: { id: string; enabled: boolean }[] };
    const luohuRsj = departments.find((d) => d.id === '440303-rsj')!;
    luohuRsj.enabled = false;
    const withDisabled = parseReferenceData(files);
    const decision = decideRoute(request(), seeded(), withDisabled, NOW);
    expect(decision).toMatchObject({
      outcome: 'unroutable',
      reason: 'department_disabled',
      detail: expect.stringContaining('440303-rsj'),
    });
  });
});

describe('manualRoute', () => {
  it('assigns the chosen departments with the due time on the primary one’s calendar', () => {
    const result = manualRoute(
      request({ officeId: ZHONGKAI_OFFICE, acceptedAt: new Date('2026-02-13T07:00:00Z') }),
      { primary: '440303-rsj', parallel: ['440303-mz'] },
      reference,
    );
    expect(result).toMatchObject({
      ok: true,
      decision: {
        basis: 'manual',
        rule: undefined,
        crossDistrict: true,
        assignments: [
          { departmentId: '440303-rsj', role: 'primary' },
          { departmentId: '440303-mz', role: 'parallel' },
        ],
      },
    });
    expect(result.ok && result.decision.slaDueAt.toISOString()).toBe('2026-02-27T10:00:00.000Z');
  });

  it('names the field of an unknown or repeated department', () => {
    expect(manualRoute(request(), { primary: '440303-nope', parallel: [] }, reference)).toEqual({
      ok: false,
      field: 'departmentId',
      reason: 'no department 440303-nope',
    });
    expect(
      manualRoute(request(), { primary: '440303-rsj', parallel: ['440303-rsj'] }, reference),
    ).toMatchObject({
      ok: false,
      field: 'parallelDepartmentIds.0',
    });
  });

  it('runs an item the catalogue does not know on the time limit the operator gives, and asks for it otherwise', () => {
    const unknown = request({ itemCode: 'XX-UNKNOWN-001' });
    expect(manualRoute(unknown, { primary: '440303-rsj', parallel: [] }, reference)).toMatchObject({
      ok: false,
      field: 'timeLimitDays',
    });
    expect(manualRoute(unknown, { primary: '440303-rsj', parallel: [] }, reference, 15)).toMatchObject({
      ok: true,
      decision: { timeLimitDays: 15 },
    });
  });
});
