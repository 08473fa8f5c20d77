import type { AgeBand, CaseSnapshot, CaseSnapshotV2 } from '@tongban/contracts';
import { ageOn } from '@tongban/pii';
import { loadReferenceData } from '@tongban/reference-data';
import { evaluateAutoApproval } from './auto-approval';

const ref = loadReferenceData();
const isWithin = (code: string, region: string) => ref.isWithin(code, region);
const at = new Date('2026-11-24T04:00:00Z');
const protectedValue = { ciphertext: 'v1.k1.x', hash: 'h', masked: '440306********002X' };

function personCase(overrides: Partial<CaseSnapshot> = {}, birthDate: string | null = '1996-05-01') {
  return {
    receiptNumber: '440306001-20261124-0001',
    itemCode: 'RS-JYCYZ-004',
    acceptingOfficeId: '440306001',
    acceptingDistrict: '440306',
    applicant: {
      kind: 'person',
      name: '测试申请人',
      idNumber: protectedValue,
      phone: { ...protectedValue, masked: '138****0000' },
      householdDistrict: '440306',
      ...(birthDate ? { birthDate } : {}),
    },
    materials: [{ code: 'id_card', name: '居民身份证' }],
    missingMaterials: [],
    delivery: { method: 'pickup', officeId: '440306001' },
    ...overrides,
  } as CaseSnapshot;
}

const companyCase = (itemCode: string, materials: string[]): CaseSnapshot =>
  ({
    ...personCase({ itemCode }),
    applicant: {
      kind: 'company',
      companyName: '测试有限公司',
      creditCode: '91440300MA5DXXXX0A',
      registeredDistrict: '440303',
      contactName: '联系人',
      phone: protectedValue,
    },
    materials: materials.map((code) => ({ code, name: code })),
  }) as CaseSnapshot;

// A case accepted since snapshot v2: sealed name, an age band instead of the birth date.
function sealedPersonCase(itemCode: string, ageBand: AgeBand): CaseSnapshotV2 {
  const v1 = personCase({ itemCode });
  return {
    ...v1,
    applicant: {
      kind: 'person',
      name: { ciphertext: 'v1.k1.bmFtZQ', masked: '测**' },
      idNumber: protectedValue,
      phone: { ...protectedValue, masked: '138****0000' },
      householdDistrict: '440306',
      ageBand,
    },
    delivery: { method: 'pickup', officeId: '440306001' },
  };
}

describe('秒批 evaluation', () => {
  it.each([
    ['RS-JYCYZ-004', '0-15', false],
    ['RS-JYCYZ-004', '16-17', true],
    ['RS-JYCYZ-004', '70+', true],
  ] as const)('answers %s (年满16周岁) for age band %s: %s', (itemCode, band, passed) => {
    const result = evaluateAutoApproval(ref.item(itemCode), sealedPersonCase(itemCode, band), at, isWithin);
    expect(result).toMatchObject({
      eligible: true,
      passed,
      checks: expect.arrayContaining([
        { check: 'applicant_age', passed, detail: `年满16周岁: age band ${band} (min 16)` },
      ]),
    });
  });

  it.each([
    ['18-59', true],
    ['16-17', true],
    ['60-69', false],
    ['0-15', false],
  ] as const)('answers a bounded age rule (RS-LHJYCB-002, 16 to 59) for band %s: %s', (band, passed) => {
    const result = evaluateAutoApproval(
      ref.item('RS-LHJYCB-002'),
      sealedPersonCase('RS-LHJYCB-002', band),
      at,
      isWithin,
    );
    expect(result).toMatchObject({
      checks: expect.arrayContaining([expect.objectContaining({ check: 'applicant_age', passed })]),
    });
  });

  it('approves 就业创业证申领 when every material is present and the applicant is 16 or older', () => {
    const result = evaluateAutoApproval(ref.item('RS-JYCYZ-004'), personCase(), at, isWithin);
    expect(result).toEqual({
      eligible: true,
      passed: true,
      checks: [
        { check: 'materials_complete', passed: true, detail: 'all 1 materials present' },
        { check: 'material_present', passed: true, detail: '已核验居民身份证: id_card present' },
        { check: 'applicant_age', passed: true, detail: '年满16周岁: age 30 (min 16)' },
      ],
    });
  });

  it('sends an applicant too young to a reviewer, with the failed check recorded', () => {
    const result = evaluateAutoApproval(ref.item('RS-JYCYZ-004'), personCase({}, '2011-01-01'), at, isWithin);
    expect(result).toMatchObject({ eligible: true, passed: false });
    expect(result.eligible && result.checks.find((c) => c.check === 'applicant_age')).toMatchObject({
      passed: false,
      detail: '年满16周岁: age 15 (min 16)',
    });
  });

  it('fails closed when the case cannot answer a check: no birth date', () => {
    const result = evaluateAutoApproval(ref.item('RS-JYCYZ-004'), personCase({}, null), at, isWithin);
    expect(result).toMatchObject({ eligible: true, passed: false });
  });

  it('fails closed on company status, which the case data does not carry', () => {
    const result = evaluateAutoApproval(
      ref.item('SJ-QYBG-005'),
      companyCase('SJ-QYBG-005', ['application_form', 'change_resolution', 'business_license']),
      at,
      isWithin,
    );
    expect(result).toMatchObject({ eligible: true, passed: false });
    expect(result.eligible && result.checks.map((c) => [c.check, c.passed])).toEqual([
      ['materials_complete', true],
      ['company_status', false],
      ['material_present', true],
    ]);
  });

  it('requires every material of the item, critical or not, and nothing left to supplement', () => {
    // 失业保险金申领 lists a bank account besides the two critical materials.
    const snapshot = personCase({
      itemCode: 'RS-SYBXJ-001',
      materials: [
        { code: 'id_card', name: '居民身份证' },
        { code: 'termination_certificate', name: '解除或终止劳动关系证明' },
      ],
      missingMaterials: ['bank_account'],
    });
    const result = evaluateAutoApproval(ref.item('RS-SYBXJ-001'), snapshot, at, isWithin);
    expect(result.eligible && result.checks[0]).toEqual({
      check: 'materials_complete',
      passed: false,
      detail: 'missing: bank_account',
    });
    expect(result).toMatchObject({ passed: false });
  });

  it('checks the household district against cities and districts (异地就医备案: 深圳 or 惠州)', () => {
    const item = ref.item('YB-YDJYBA-001');
    const materials = ['id_card', 'residence_proof', 'referral_letter'].map((code) => ({ code, name: code }));
    const snapshot = (householdDistrict: string) =>
      ({
        ...personCase({ itemCode: 'YB-YDJYBA-001', materials }),
        applicant: { ...personCase().applicant, householdDistrict },
      }) as CaseSnapshot;
    expect(evaluateAutoApproval(item, snapshot('441305'), at, isWithin)).toMatchObject({ passed: true });
    expect(evaluateAutoApproval(item, snapshot('440106'), at, isWithin)).toMatchObject({ passed: false });
    // A company applying for a person's item cannot pass a household check.
    expect(
      evaluateAutoApproval(item, { ...companyCase('YB-YDJYBA-001', []), materials }, at, isWithin),
    ).toMatchObject({ passed: false });
  });

  it('is not eligible for items without 秒批 or unknown items', () => {
    expect(evaluateAutoApproval(ref.item('SJ-NZGS-002'), personCase(), at, isWithin)).toEqual({
      eligible: false,
    });
    expect(evaluateAutoApproval(undefined, personCase(), at, isWithin)).toEqual({ eligible: false });
  });

  it('counts ages in full years (v1 snapshots carry the birth date)', () => {
    expect(ageOn('2010-11-24', '2026-11-24')).toBe(16);
    expect(ageOn('2010-11-25', '2026-11-24')).toBe(15);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});
