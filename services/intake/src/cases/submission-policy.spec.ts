import { generateResidentId } from '@tongban/pii';
import { loadReferenceData } from '@tongban/reference-data';
import { type ItemRules, assessSubmission, materialFactsOf, type SubmissionFacts } from './submission-policy';
import type { SubmitCaseInput } from './submit-case.dto';

const item: ItemRules = {
  code: 'RS-SYBXJ-001',
  applicantKinds: ['person'],
  materials: [
    { code: 'id_card', name: '居民身份证', critical: true },
    { code: 'termination_certificate', name: '解除或终止劳动关系证明', critical: true },
    { code: 'bank_account', name: '银行结算账户', critical: false },
  ],
  rongque: { allowed: true, supplementDays: 5, materials: ['bank_account'] },
  deliveryMethods: ['courier', 'pickup'],
};

const facts: SubmissionFacts = {
  item,
  acceptance: { ok: true },
  pickupOffice: { pickupWindow: true },
  materialFacts: {
    applicantKind: 'person',
    ageAtAcceptance: 38,
    householdDistrict: '440303',
    acceptingDistrict: '440306',
  },
};

function input(materials: string[], overrides: Partial<SubmitCaseInput> = {}): SubmitCaseInput {
  return {
    itemCode: item.code,
    applicant: {
      kind: 'person',
      name: '测试',
      idNumber: '440303198806150011',
      phone: '13800000000',
      householdDistrict: '440303',
    },
    materials: materials.map((code) => ({ code, name: code })),
    delivery: { method: 'pickup', officeId: '440306001' },
    assistance: { mode: 'self' },
    ...overrides,
  };
}

describe('assessSubmission', () => {
  it('accepts a complete case', () => {
    expect(assessSubmission(input(['id_card', 'termination_certificate', 'bank_account']), facts)).toEqual({
      accepted: true,
      missingMaterials: [],
      supplementDays: undefined,
    });
  });

  it('accepts a tolerable missing material (容缺) with its supplement period', () => {
    expect(assessSubmission(input(['id_card', 'termination_certificate']), facts)).toEqual({
      accepted: true,
      missingMaterials: ['bank_account'],
      supplementDays: 5,
    });
  });

  it('refuses a missing non-critical material when the item does not allow 容缺', () => {
    const strict = { ...facts, item: { ...item, rongque: { allowed: false } } };
    const result = assessSubmission(input(['id_card', 'termination_certificate']), strict);
    expect(result).toMatchObject({ accepted: false, issues: [{ field: 'materials' }] });
  });

  it('lists every problem at once', () => {
    const result = assessSubmission(
      input(['id_card', 'id_card', 'selfie'], {
        delivery: { method: 'post', address: { districtCode: '440303', detail: 'x' } },
      }),
      { ...facts, acceptance: { ok: false, reason: 'outside_scope: 仅限办理地受理' } },
    );
    expect(result.accepted).toBe(false);
    if (!result.accepted) {
      expect(result.issues.map((issue) => issue.field)).toEqual([
        'itemCode',
        'materials.1.code',
        'materials.2.code',
        'materials',
        'delivery.method',
      ]);
    }
  });

  it('refuses an unknown item, and a pickup office without a window', () => {
    expect(assessSubmission(input([]), { ...facts, item: undefined })).toMatchObject({
      accepted: false,
      issues: [{ field: 'itemCode' }],
    });
    const result = assessSubmission(input(['id_card', 'termination_certificate']), {
      ...facts,
      pickupOffice: { pickupWindow: false },
    });
    expect(result).toMatchObject({ accepted: false, issues: [{ field: 'delivery.officeId' }] });
  });

  describe('materials that apply only sometimes (社保卡 RS-SBKSL-003: guardian ID card for minors only)', () => {
    const card = loadReferenceData().item('RS-SBKSL-003')!;
    const cardFacts = (age: number): SubmissionFacts => ({
      ...facts,
      item: card,
      materialFacts: { ...facts.materialFacts, ageAtAcceptance: age },
    });
    const cardInput = (materials: string[]) => input(materials, { itemCode: card.code });

    it('accepts an adult without the guardian ID card, nothing listed as missing', () => {
      expect(assessSubmission(cardInput(['id_card', 'photo']), cardFacts(18))).toEqual({
        accepted: true,
        missingMaterials: [],
        supplementDays: undefined,
      });
    });

    it('refuses a minor without it, naming the material', () => {
      expect(assessSubmission(cardInput(['id_card', 'photo']), cardFacts(17))).toEqual({
        accepted: false,
        issues: [{ field: 'materials', reason: expect.stringMatching(/guardian_id_card/) }],
      });
      expect(
        assessSubmission(cardInput(['id_card', 'photo', 'guardian_id_card']), cardFacts(17)),
      ).toMatchObject({
        accepted: true,
      });
    });

    it('keeps a material handed in although it does not apply', () => {
      expect(
        assessSubmission(cardInput(['id_card', 'photo', 'guardian_id_card']), cardFacts(40)),
      ).toMatchObject({
        accepted: true,
        missingMaterials: [],
      });
    });
  });
});

describe('materialFactsOf', () => {
  const acceptedAt = new Date('2026-12-04T16:30:00Z'); // 2026-12-05 00:30 in China

  it('takes the age on the acceptance day in China from the ID number', () => {
    const turns18 = generateResidentId({ regionCode: '440303', birthDate: '2008-12-05' });
    const person = input([]).applicant;
    expect(materialFactsOf({ ...person, idNumber: turns18 } as typeof person, '440306', acceptedAt)).toEqual({
      applicantKind: 'person',
      ageAtAcceptance: 18,
      householdDistrict: '440303',
      acceptingDistrict: '440306',
    });
  });

  it('knows only the kind and the accepting district of a company', () => {
    const company = {
      kind: 'company' as const,
      companyName: '测试公司',
      creditCode: '91440300MA5F000000',
      registeredDistrict: '440306',
      contactName: '测试',
      phone: '13800000000',
    };
    expect(materialFactsOf(company, '440306', acceptedAt)).toEqual({
      applicantKind: 'company',
      acceptingDistrict: '440306',
    });
  });
});
