import {
  conditionHolds,
  describeCondition,
  loadReferenceData,
  materialApplies,
  type MaterialFacts,
} from './index';

const adult: MaterialFacts = {
  applicantKind: 'person',
  ageAtAcceptance: 35,
  householdDistrict: '440306',
  acceptingDistrict: '440306',
};
const company: MaterialFacts = { applicantKind: 'company', acceptingDistrict: '440306' };

describe('materialApplies', () => {
  it('asks a material without conditions of everyone', () => {
    expect(materialApplies({}, adult)).toBe(true);
    expect(materialApplies({}, company)).toBe(true);
  });

  it('asks a minor for the guardian ID card on 社保卡, and not an adult or a company', () => {
    const guardian = loadReferenceData()
      .item('RS-SBKSL-003')!
      .materials.find((m) => m.code === 'guardian_id_card')!;
    expect(materialApplies(guardian, { ...adult, ageAtAcceptance: 17 })).toBe(true);
    expect(materialApplies(guardian, { ...adult, ageAtAcceptance: 18 })).toBe(false);
    expect(materialApplies(guardian, adult)).toBe(false);
    expect(materialApplies(guardian, company)).toBe(false);
  });

  it('needs every condition to hold', () => {
    const material = {
      appliesWhen: [
        { condition: 'applicant_age', min: 16 } as const,
        { condition: 'household_outside', of: 'accepting_district' } as const,
      ],
    };
    expect(materialApplies(material, { ...adult, householdDistrict: '440303' })).toBe(true);
    expect(materialApplies(material, { ...adult, householdDistrict: '440303', ageAtAcceptance: 15 })).toBe(
      false,
    );
    expect(materialApplies(material, adult)).toBe(false);
  });
});

describe('conditionHolds', () => {
  it('applicant kind', () => {
    const companies = { condition: 'applicant_kind' as const, in: ['company' as const] };
    expect(conditionHolds(companies, company)).toBe(true);
    expect(conditionHolds(companies, adult)).toBe(false);
  });

  it('age bounds are inclusive and never hold for a company', () => {
    const working = { condition: 'applicant_age', min: 16, max: 60 } as const;
    expect(
      [15, 16, 60, 61].map((age) => conditionHolds(working, { ...adult, ageAtAcceptance: age })),
    ).toEqual([false, true, true, false]);
    expect(conditionHolds(working, company)).toBe(false);
  });

  it('a non-local household: outside the accepting district or outside its city', () => {
    const outsideDistrict = { condition: 'household_outside', of: 'accepting_district' } as const;
    const outsideCity = { condition: 'household_outside', of: 'accepting_city' } as const;
    const 罗湖 = { ...adult, householdDistrict: '440303' };
    const 仲恺 = { ...adult, householdDistrict: '441305' };
    expect(conditionHolds(outsideDistrict, adult)).toBe(false);
    expect(conditionHolds(outsideDistrict, 罗湖)).toBe(true);
    expect(conditionHolds(outsideCity, 罗湖)).toBe(false);
    expect(conditionHolds(outsideCity, 仲恺)).toBe(true);
    expect(conditionHolds(outsideCity, company)).toBe(false);
  });
});

describe('describeCondition', () => {
  it('says each condition in words', () => {
    expect(describeCondition({ condition: 'applicant_age', max: 17 })).toBe('applicant aged 17 or younger');
    expect(describeCondition({ condition: 'applicant_age', min: 60 })).toBe('applicant aged 60 or older');
    expect(describeCondition({ condition: 'applicant_age', min: 16, max: 60 })).toBe(
      'applicant aged 16 to 60',
    );
    expect(describeCondition({ condition: 'household_outside', of: 'accepting_city' })).toMatch(
      /outside the accepting city/,
    );
    expect(describeCondition({ condition: 'applicant_kind', in: ['company'] })).toBe(
      'applicant is a company',
    );
  });
});
