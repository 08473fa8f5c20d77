import type { ApplicantKind } from '@tongban/contracts';
import type { MaterialCondition } from './schemas';

/** What a material's conditions look at, known at the window when the case is accepted. */
export interface MaterialFacts {
  readonly applicantKind: ApplicantKind;
  /** Full years on the acceptance day; persons only. */
  readonly ageAtAcceptance?: number;
  /** Persons only. */
  readonly householdDistrict?: string;
  readonly acceptingDistrict: string;
}

/**
 * Whether one condition holds. A person-only condition (age, household) never holds for a
 * company, so a guardian's ID card is never asked of a company.
 */
export function conditionHolds(condition: MaterialCondition, facts: MaterialFacts): boolean {
  switch (condition.condition) {
    case 'applicant_kind':
      return condition.in.includes(facts.applicantKind);
    case 'applicant_age': {
      const age = facts.ageAtAcceptance;
      if (facts.applicantKind !== 'person' || age === undefined) return false;
      return (
        (condition.min === undefined || age >= condition.min) &&
        (condition.max === undefined || age <= condition.max)
      );
    }
    case 'household_outside': {
      const household = facts.householdDistrict;
      if (facts.applicantKind !== 'person' || household === undefined) return false;
      // GB/T 2260: a district code's first four digits are its city (仲恺's pseudo-code 441305 included).
      return condition.of === 'accepting_district'
        ? household !== facts.acceptingDistrict
        : household.slice(0, 4) !== facts.acceptingDistrict.slice(0, 4);
    }
  }
}

/** A material applies when it has no conditions or all of them hold. */
export function materialApplies(
  material: { readonly appliesWhen?: readonly MaterialCondition[] },
  facts: MaterialFacts,
): boolean {
  return (material.appliesWhen ?? []).every((condition) => conditionHolds(condition, facts));
}

/** The condition in words, for staff (the catalogue API and refusal messages). */
export function describeCondition(condition: MaterialCondition): string {
  switch (condition.condition) {
    case 'applicant_kind':
      return `applicant is a ${condition.in.join(' or ')}`;
    case 'applicant_age':
      if (condition.min !== undefined && condition.max !== undefined)
        return `applicant aged ${condition.min} to ${condition.max}`;
      return condition.max !== undefined
        ? `applicant aged ${condition.max} or younger`
        : `applicant aged ${condition.min ?? 0} or older`;
    case 'household_outside':
      return `household registered outside the accepting ${condition.of === 'accepting_district' ? 'district' : 'city'}`;
  }
}
