import type { ReferenceData } from '@tongban/reference-data';
import type { RuleDraft } from './routing-rule';

/** Seed versions start here: in force for every case the system will ever route. */
export const SEED_EFFECTIVE_FROM = new Date('2000-01-01T00:00:00.000Z');

/**
 * Version 1 of each item's rules, from the item catalogue (jurisdiction basis, competent type,
 * parallel types, and its city-level overrides). Administrators change rules by adding versions;
 * the catalogue only starts the history, so a seed never overwrites a rule that exists.
 */
export function seedDrafts(reference: ReferenceData): RuleDraft[] {
  const note = `seeded from ${reference.versionLabel()}`;
  return reference.items().flatMap((item): RuleDraft[] => {
    const base: RuleDraft = {
      itemCode: item.code,
      region: null,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      effectiveTo: null,
      basis: item.jurisdiction.basis,
      departmentType: item.departmentType,
      departmentId: item.jurisdiction.basis === 'fixed_department' ? item.jurisdiction.department : null,
      parallelDepartmentTypes: item.parallelDepartmentTypes,
      note,
    };
    const overrides = (item.overrides ?? []).map((override): RuleDraft => ({
      itemCode: item.code,
      region: override.region,
      effectiveFrom: SEED_EFFECTIVE_FROM,
      effectiveTo: null,
      basis: null,
      departmentType: item.departmentType,
      departmentId: override.department,
      parallelDepartmentTypes: null,
      note: `${note}: ${override.note}`,
    }));
    return [base, ...overrides];
  });
}
