import { type MaterialCondition, type MaterialFacts, materialApplies } from '@tongban/reference-data';
import { ageOn, validateResidentId } from '@tongban/pii';
import type { FieldIssue } from '@tongban/runtime';
import { chinaDay } from './receipt-number';
import type { SubmitCaseInput } from './submit-case.dto';

/** What the policy needs to know about the service item (事项) from the reference data. */
export interface ItemRules {
  readonly code: string;
  readonly applicantKinds: readonly string[];
  readonly materials: readonly {
    readonly code: string;
    readonly name: string;
    readonly critical: boolean;
    readonly appliesWhen?: readonly MaterialCondition[];
  }[];
  readonly rongque: {
    readonly allowed: boolean;
    readonly supplementDays?: number;
    readonly materials?: readonly string[];
  };
  readonly deliveryMethods: readonly string[];
}

export interface SubmissionFacts {
  /** Undefined when the item code is unknown. */
  readonly item: ItemRules | undefined;
  /** Whether the caller's office may accept the item (一窗受理 scope), and why not. */
  readonly acceptance: { readonly ok: true } | { readonly ok: false; readonly reason: string };
  /** The office chosen for pickup, when the applicant chose pickup: undefined when unknown. */
  readonly pickupOffice?: { readonly pickupWindow: boolean };
  /** What conditional materials (minors only, non-local households only, ...) depend on. */
  readonly materialFacts: MaterialFacts;
}

export type Assessment =
  | { readonly accepted: false; readonly issues: FieldIssue[] }
  | { readonly accepted: true; readonly missingMaterials: string[]; readonly supplementDays?: number };

/**
 * Decides whether a window may accept a case, listing every reason it may not at once. 容缺后补:
 * missing materials are accepted only when the item allows it and none of them is critical.
 * Materials that apply only sometimes (`appliesWhen` in the reference data) are asked for only
 * when `materialApplies` says so, the function the catalogue API uses too.
 */
export function assessSubmission(input: SubmitCaseInput, facts: SubmissionFacts): Assessment {
  const { item } = facts;
  if (!item)
    return {
      accepted: false,
      issues: [{ field: 'itemCode', reason: `unknown service item "${input.itemCode}"` }],
    };
  const issues: FieldIssue[] = [];
  if (!facts.acceptance.ok) issues.push({ field: 'itemCode', reason: facts.acceptance.reason });
  if (!item.applicantKinds.includes(input.applicant.kind)) {
    issues.push({
      field: 'applicant.kind',
      reason: `${item.code} is for ${item.applicantKinds.join(' or ')} applicants`,
    });
  }

  const known = new Map(item.materials.map((material) => [material.code, material]));
  const provided = new Set<string>();
  input.materials.forEach((material, index) => {
    if (!known.has(material.code)) {
      issues.push({
        field: `materials.${index}.code`,
        reason: `"${material.code}" is not a material of ${item.code}`,
      });
    } else if (provided.has(material.code)) {
      issues.push({ field: `materials.${index}.code`, reason: `"${material.code}" is listed twice` });
    }
    provided.add(material.code);
  });
  // A material whose conditions do not hold for this applicant is not asked for (handed in anyway, it is kept).
  const missing = item.materials.filter(
    (material) => !provided.has(material.code) && materialApplies(material, facts.materialFacts),
  );
  const tolerable = new Set(item.rongque.allowed ? (item.rongque.materials ?? []) : []);
  for (const material of missing) {
    if (material.critical) {
      issues.push({
        field: 'materials',
        reason: `missing critical material ${material.code} (${material.name})`,
      });
    } else if (!tolerable.has(material.code)) {
      issues.push({
        field: 'materials',
        reason: `missing ${material.code} (${material.name}); ${item.code} does not allow acceptance with it missing (容缺)`,
      });
    }
  }

  if (!item.deliveryMethods.includes(input.delivery.method)) {
    issues.push({
      field: 'delivery.method',
      reason: `${item.code} offers ${item.deliveryMethods.join(', ')}`,
    });
  }
  if (input.delivery.method === 'pickup') {
    if (!facts.pickupOffice)
      issues.push({ field: 'delivery.officeId', reason: `unknown office "${input.delivery.officeId}"` });
    else if (!facts.pickupOffice.pickupWindow) {
      issues.push({ field: 'delivery.officeId', reason: 'this office has no window that hands results out' });
    }
  }

  if (issues.length > 0) return { accepted: false, issues };
  return {
    accepted: true,
    missingMaterials: missing.map((material) => material.code),
    supplementDays: missing.length > 0 ? item.rongque.supplementDays : undefined,
  };
}

/** The applicant facts conditional materials look at, on the acceptance day (China time). */
export function materialFactsOf(
  applicant: SubmitCaseInput['applicant'],
  acceptingDistrict: string,
  acceptedAt: Date,
): MaterialFacts {
  if (applicant.kind === 'company') return { applicantKind: 'company', acceptingDistrict };
  const id = validateResidentId(applicant.idNumber);
  return {
    applicantKind: 'person',
    // The DTO let only valid numbers through; an invalid one leaves the age unknown (age conditions do not hold).
    ageAtAcceptance: id.ok ? ageOn(id.birthDate, chinaDay(acceptedAt)) : undefined,
    householdDistrict: applicant.householdDistrict,
    acceptingDistrict,
  };
}
