import { AGE_BAND_RANGES, type AnyCaseSnapshot } from '@tongban/contracts';
import { ageOn } from '@tongban/pii';
import { type AutoCheck, localDateOf, type ServiceItem } from '@tongban/reference-data';

/** One evaluated 秒批 check, as `case.decided` records it (`autoChecks`). */
export interface EvaluatedCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

export type AutoApprovalResult =
  | { readonly eligible: false }
  | { readonly eligible: true; readonly passed: boolean; readonly checks: readonly EvaluatedCheck[] };

/** Whether a district (or city) code lies inside a region; ReferenceData.isWithin fits. */
export type RegionTest = (code: string, region: string) => boolean;

/**
 * 秒批: evaluates an eligible item's checks (data in items.json) against the case snapshot.
 * Every material of the item must be present, then each check must pass. A check the case data
 * cannot answer (no birth date, a company's registration status, the wrong applicant kind) fails
 * closed: the case goes to a reviewer. Details hold codes, ages and districts, never identifiers.
 */
export function evaluateAutoApproval(
  item: ServiceItem | undefined,
  snapshot: AnyCaseSnapshot,
  at: Date,
  isWithin: RegionTest,
): AutoApprovalResult {
  if (!item?.autoApproval.eligible) return { eligible: false };
  const checks = [materialsComplete(item, snapshot)];
  for (const check of item.autoApproval.checks) checks.push(evaluateCheck(check, snapshot, at, isWithin));
  return { eligible: true, passed: checks.every((check) => check.passed), checks };
}

function materialsComplete(item: ServiceItem, snapshot: AnyCaseSnapshot): EvaluatedCheck {
  const present = new Set(snapshot.materials.map((material) => material.code));
  const absent = item.materials
    .map((material) => material.code)
    .filter((code) => !present.has(code))
    .concat(snapshot.missingMaterials.filter((code) => !item.materials.some((m) => m.code === code)));
  return {
    check: 'materials_complete',
    passed: absent.length === 0,
    detail:
      absent.length === 0
        ? `all ${item.materials.length} materials present`
        : `missing: ${[...new Set(absent)].join(', ')}`,
  };
}

function evaluateCheck(
  check: AutoCheck,
  snapshot: AnyCaseSnapshot,
  at: Date,
  isWithin: RegionTest,
): EvaluatedCheck {
  const applicant = snapshot.applicant;
  const result = (passed: boolean, detail: string): EvaluatedCheck => ({
    check: check.check,
    passed,
    detail: `${check.label}: ${detail}`,
  });
  switch (check.check) {
    case 'applicant_age': {
      if (applicant.kind !== 'person') return result(false, 'not a person applicant');
      const bounds = [
        check.min === undefined ? null : `min ${check.min}`,
        check.max === undefined ? null : `max ${check.max}`,
      ]
        .filter((bound) => bound !== null)
        .join(', ');
      const within = (age: number) =>
        (check.min === undefined || age >= check.min) && (check.max === undefined || age <= check.max);
      if ('ageBand' in applicant) {
        // The catalogue's bounds lie on band edges (checked when it loads), so a band is wholly
        // inside or outside them.
        const { min, max } = AGE_BAND_RANGES[applicant.ageBand];
        return result(within(min) && within(max ?? 150), `age band ${applicant.ageBand} (${bounds})`);
      }
      // A case accepted before v2 carries the birth date instead.
      if (applicant.birthDate === undefined) return result(false, 'no birth date in the case data');
      const age = ageOn(applicant.birthDate, localDateOf(at));
      return result(within(age), `age ${age} (${bounds})`);
    }
    case 'material_present': {
      const passed = snapshot.materials.some((material) => material.code === check.material);
      return result(passed, `${check.material} ${passed ? 'present' : 'absent'}`);
    }
    case 'company_status':
      // The case carries no registration status (no 企业信用信息 lookup yet): fail closed.
      return result(false, `registration status unknown to the case data (needs ${check.equals})`);
    case 'household_in_region': {
      if (applicant.kind !== 'person') return result(false, 'not a person applicant');
      const passed = check.regions.some((region) => isWithin(applicant.householdDistrict, region));
      return result(passed, `household ${applicant.householdDistrict} in ${check.regions.join('/')}`);
    }
    case 'registered_in_region': {
      if (applicant.kind !== 'company') return result(false, 'not a company applicant');
      const passed = check.regions.some((region) => isWithin(applicant.registeredDistrict, region));
      return result(passed, `registered ${applicant.registeredDistrict} in ${check.regions.join('/')}`);
    }
  }
}
