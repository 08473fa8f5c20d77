import { isInForce, planVersion, type RuleDraft, RuleSet, type RuleVersion } from './routing-rule';

const at = (iso: string) => new Date(iso);

function version(overrides: Partial<RuleVersion> & Pick<RuleVersion, 'version'>): RuleVersion {
  return {
    ruleId: 'RS-JYCYZ-004',
    itemCode: 'RS-JYCYZ-004',
    region: null,
    effectiveFrom: at('2000-01-01T00:00:00Z'),
    effectiveTo: null,
    basis: 'household_district',
    departmentType: 'rsj',
    departmentId: null,
    parallelDepartmentTypes: [],
    note: 'test',
    ...overrides,
  };
}

function draft(overrides: Partial<RuleDraft> = {}): RuleDraft {
  return {
    itemCode: 'RS-JYCYZ-004',
    region: null,
    effectiveFrom: at('2026-12-01T00:00:00Z'),
    effectiveTo: null,
    basis: 'household_district',
    departmentType: 'rsj',
    departmentId: null,
    parallelDepartmentTypes: [],
    note: 'test',
    ...overrides,
  };
}

const now = at('2026-11-24T00:00:00Z');

describe('isInForce', () => {
  const rule = version({
    version: 1,
    effectiveFrom: at('2026-12-01T00:00:00Z'),
    effectiveTo: at('2027-01-01T00:00:00Z'),
  });

  it('includes the first instant of the window and excludes its end', () => {
    expect(isInForce(rule, at('2026-11-30T23:59:59.999Z'))).toBe(false);
    expect(isInForce(rule, at('2026-12-01T00:00:00Z'))).toBe(true);
    expect(isInForce(rule, at('2026-12-31T23:59:59.999Z'))).toBe(true);
    expect(isInForce(rule, at('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('keeps an open window in force for ever', () => {
    expect(isInForce(version({ version: 1 }), at('2099-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('RuleSet.inForce', () => {
  const v1 = version({ version: 1, effectiveTo: at('2026-12-01T00:00:00Z') });
  const v2 = version({ version: 2, effectiveFrom: at('2026-12-01T00:00:00Z'), departmentType: 'mz' });
  const cityOverride = version({
    ruleId: 'RS-JYCYZ-004@4403',
    version: 1,
    region: '4403',
    basis: null,
    departmentId: '4403-rsj',
  });
  const rules = new RuleSet([v1, v2, cityOverride], 7);

  it('switches versions exactly at the effective-from instant', () => {
    expect(rules.inForce('RS-JYCYZ-004', at('2026-11-30T23:59:59.999Z')).base?.version).toBe(1);
    expect(rules.inForce('RS-JYCYZ-004', at('2026-12-01T00:00:00Z')).base?.version).toBe(2);
  });

  it('separates the default rule from the overrides and knows nothing of other items', () => {
    expect(rules.inForce('RS-JYCYZ-004', now).overrides).toEqual([cityOverride]);
    expect(rules.inForce('GA-WFZJL-001', now)).toEqual({ base: undefined, overrides: [] });
  });

  it('lists a rule’s history in version order', () => {
    expect(new RuleSet([v2, cityOverride, v1], 1).history('RS-JYCYZ-004').map((r) => r.version)).toEqual([
      1, 2,
    ]);
  });
});

describe('planVersion', () => {
  it('numbers the first version 1 and closes nothing', () => {
    const result = planVersion([], draft(), now);
    expect(result).toEqual({
      ok: true,
      plan: { version: expect.objectContaining({ version: 1 }), closes: undefined },
    });
  });

  it('ends the open-ended latest version where the new one starts', () => {
    const open = version({ version: 1 });
    const result = planVersion([open], draft(), now);
    expect(result.ok && result.plan.closes).toBe(open);
    expect(result.ok && result.plan.version).toMatchObject({ ruleId: 'RS-JYCYZ-004', version: 2 });
  });

  it('refuses a start in the past', () => {
    expect(planVersion([], draft({ effectiveFrom: at('2026-11-23T23:59:59Z') }), now)).toEqual({
      ok: false,
      problem: { kind: 'invalid', field: 'effectiveFrom', reason: expect.stringContaining('past') },
    });
  });

  it('refuses an end before the start', () => {
    const result = planVersion([], draft({ effectiveTo: at('2026-12-01T00:00:00Z') }), now);
    expect(result).toMatchObject({ ok: false, problem: { field: 'effectiveTo' } });
  });

  it('refuses to overlap a closed window and names the version', () => {
    const closed = version({
      version: 1,
      effectiveFrom: at('2026-12-01T00:00:00Z'),
      effectiveTo: at('2027-01-01T00:00:00Z'),
    });
    const result = planVersion([closed], draft({ effectiveFrom: at('2026-12-15T00:00:00Z') }), now);
    expect(result).toMatchObject({ ok: false, problem: { kind: 'overlap', version: 1 } });
  });

  it('accepts a window that starts exactly where a closed one ends', () => {
    const closed = version({
      version: 1,
      effectiveFrom: at('2026-12-01T00:00:00Z'),
      effectiveTo: at('2027-01-01T00:00:00Z'),
    });
    const result = planVersion([closed], draft({ effectiveFrom: at('2027-01-01T00:00:00Z') }), now);
    expect(result).toMatchObject({ ok: true, plan: { closes: undefined, version: { version: 2 } } });
  });

  it('refuses an open version that would run into a scheduled later one', () => {
    const scheduled = version({ version: 2, effectiveFrom: at('2027-03-01T00:00:00Z') });
    const closedBefore = version({ version: 1, effectiveTo: at('2026-11-01T00:00:00Z') });
    const result = planVersion([closedBefore, scheduled], draft(), now);
    expect(result).toMatchObject({ ok: false, problem: { kind: 'overlap', version: 2 } });
  });

  it('accepts a bounded version before a scheduled later one', () => {
    const scheduled = version({ version: 2, effectiveFrom: at('2027-03-01T00:00:00Z') });
    const closedBefore = version({ version: 1, effectiveTo: at('2026-11-01T00:00:00Z') });
    const result = planVersion(
      [closedBefore, scheduled],
      draft({ effectiveTo: at('2027-03-01T00:00:00Z') }),
      now,
    );
    expect(result).toMatchObject({ ok: true, plan: { version: { version: 3 }, closes: undefined } });
  });

  it('keys an override by item and region', () => {
    const result = planVersion([], draft({ region: '440303', basis: null, departmentId: '440303-rsj' }), now);
    expect(result).toMatchObject({ ok: true, plan: { version: { ruleId: 'RS-JYCYZ-004@440303' } } });
  });
});
