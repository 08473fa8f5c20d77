import type { AssignmentRole, JurisdictionBasis, UnroutableReason } from '@tongban/contracts';
import type { ApplicantFacts, ReferenceData } from '@tongban/reference-data';
import { type RuleRef, type RuleSet, type RuleVersion } from '../rules/routing-rule';

/** What routing looks at: nothing personal, only codes and districts. */
export interface RouteRequest {
  readonly itemCode: string;
  readonly officeId: string;
  readonly applicant: ApplicantFacts;
  /** When the office accepted the case; the statutory clock starts from it. */
  readonly acceptedAt: Date;
}

export interface Assignment {
  readonly departmentId: string;
  readonly districtCode: string;
  readonly role: AssignmentRole;
}

/** Why a routing came out as it did: the inputs, the rule versions and each step, for audits. */
export interface RouteExplanation {
  readonly inputs: {
    readonly itemCode: string;
    readonly officeId: string;
    readonly officeDistrict: string | null;
    readonly applicantKind: string | null;
    readonly householdDistrict: string | null;
    readonly registeredDistrict: string | null;
    readonly acceptedAt: string;
    readonly rulesAt: string;
  };
  readonly rulesRevision: number;
  readonly rules: readonly RuleRef[];
  readonly referenceData: string;
  readonly steps: readonly string[];
}

export type RouteDecision =
  | {
      readonly outcome: 'routed';
      readonly basis: JurisdictionBasis;
      /** The rule that chose the primary department: the override when one applied. */
      readonly rule: RuleRef | undefined;
      readonly competentRegion: string;
      readonly assignments: readonly Assignment[];
      readonly crossDistrict: boolean;
      readonly timeLimitDays: number;
      readonly slaDueAt: Date;
      readonly explanation: RouteExplanation;
    }
  | {
      readonly outcome: 'unroutable';
      readonly reason: UnroutableReason;
      readonly detail: string;
      readonly rule: RuleRef | undefined;
      readonly explanation: RouteExplanation;
    };

const ref = (rule: RuleVersion): RuleRef => ({ ruleId: rule.ruleId, version: rule.version });
const refText = (rule: RuleVersion) => `${rule.ruleId} v${rule.version}`;

/**
 * Routes a case by the rules in force at `rulesAt` (the moment of routing, so a rule change
 * applies to every case routed after it): the item's default rule picks the competent district
 * by its jurisdiction basis, the most specific override for that district may hand the case to
 * another department, parallel department types resolve in the competent district, and the SLA
 * due time runs on the primary department's working-day calendar from the acceptance instant.
 */
export function decideRoute(
  request: RouteRequest,
  rules: RuleSet,
  reference: ReferenceData,
  rulesAt: Date,
): RouteDecision {
  const office = reference.office(request.officeId);
  const steps: string[] = [];
  const used: RuleVersion[] = [];
  const explanation = (): RouteExplanation => ({
    inputs: {
      itemCode: request.itemCode,
      officeId: request.officeId,
      officeDistrict: office?.district ?? null,
      applicantKind: request.applicant.kind ?? null,
      householdDistrict: request.applicant.householdDistrict ?? null,
      registeredDistrict: request.applicant.registeredDistrict ?? null,
      acceptedAt: request.acceptedAt.toISOString(),
      rulesAt: rulesAt.toISOString(),
    },
    rulesRevision: rules.revision,
    rules: used.map(ref),
    referenceData: reference.versionLabel(),
    steps,
  });
  const unroutable = (reason: UnroutableReason, detail: string, rule?: RuleVersion): RouteDecision => {
    steps.push(`unroutable (${reason}): ${detail}`);
    return { outcome: 'unroutable', reason, detail, rule: rule && ref(rule), explanation: explanation() };
  };

  const item = reference.item(request.itemCode);
  if (!item) return unroutable('unknown_item', `no service item ${request.itemCode} in the reference data`);
  if (!office) return unroutable('unknown_district', `no office ${request.officeId} in the reference data`);

  const { base, overrides } = rules.inForce(request.itemCode, rulesAt);
  if (!base?.basis) return unroutable('no_rule', `no routing rule for ${request.itemCode} in force`);
  used.push(base);
  steps.push(`rule ${refText(base)}: basis ${base.basis}`);

  let competent: string | undefined;
  switch (base.basis) {
    case 'household_district':
      competent = request.applicant.householdDistrict;
      steps.push(`the applicant's household district is ${competent ?? 'not given'}`);
      break;
    case 'registered_district':
      competent = request.applicant.registeredDistrict;
      steps.push(`the company's registered district is ${competent ?? 'not given'}`);
      break;
    case 'accepting_office':
      competent = office.district;
      steps.push(`the accepting office ${office.id} is in ${competent}`);
      break;
    case 'fixed_department':
      competent = base.departmentId ? reference.department(base.departmentId)?.region : undefined;
      steps.push(`fixed department ${base.departmentId ?? '?'} serves ${competent ?? 'no known region'}`);
      break;
  }
  if (competent === undefined) {
    return unroutable(
      'unknown_district',
      `basis ${base.basis} needs a district the case does not give`,
      base,
    );
  }
  if (!reference.district(competent) && !reference.city(competent)) {
    return unroutable('unknown_district', `competent region ${competent} is not in the reference data`, base);
  }

  const override =
    base.basis === 'fixed_department' ? undefined : mostSpecificOverride(overrides, competent, reference);
  if (override) {
    used.push(override);
    steps.push(`override ${refText(override)} applies to ${competent} (region ${override.region ?? ''})`);
  }
  const deciding = override ?? base;

  const primary = deciding.departmentId
    ? reference.department(deciding.departmentId)
    : deciding.departmentType
      ? reference.departmentFor(competent, deciding.departmentType)
      : undefined;
  if (!primary) {
    const wanted = deciding.departmentId ?? `a ${deciding.departmentType ?? '?'} department`;
    return unroutable('no_rule', `${wanted} does not exist for ${competent}`, deciding);
  }
  steps.push(`primary department ${primary.id} (${primary.region})`);

  const parallelTypes = override?.parallelDepartmentTypes ?? base.parallelDepartmentTypes ?? [];
  const assignments: Assignment[] = [
    { departmentId: primary.id, districtCode: primary.region, role: 'primary' },
  ];
  for (const type of parallelTypes) {
    const department = reference.departmentFor(competent, type);
    if (!department)
      return unroutable('no_rule', `no ${type} department for ${competent} (并联审批)`, deciding);
    steps.push(`parallel department ${department.id} (${type})`);
    assignments.push({ departmentId: department.id, districtCode: department.region, role: 'parallel' });
  }
  const disabled = assignments.find((a) => reference.department(a.departmentId)?.enabled === false);
  if (disabled)
    return unroutable('department_disabled', `department ${disabled.departmentId} is disabled`, deciding);

  const timeLimitDays = item.timeLimits.legalDays;
  const slaDueAt = statutoryDue(reference, primary.id, request.acceptedAt, timeLimitDays);
  steps.push(
    `due ${slaDueAt.toISOString()}: ${timeLimitDays} working days on the calendar of ${primary.region} from ${request.acceptedAt.toISOString()}`,
  );
  const crossDistrict = !reference.isWithin(office.district, primary.region);
  if (crossDistrict)
    steps.push(`cross-district: accepted in ${office.district}, decided in ${primary.region}`);

  return {
    outcome: 'routed',
    basis: base.basis,
    rule: ref(deciding),
    competentRegion: competent,
    assignments,
    crossDistrict,
    timeLimitDays,
    slaDueAt,
    explanation: explanation(),
  };
}

/**
 * The first statutory deadline of a case: `timeLimitDays` working days on the deciding (primary)
 * department's calendar from the acceptance instant. Routing computes it once per routing; approval
 * owns it from then on (it moves with supplement pauses) and announces changes in `case.sla`.
 */
export function statutoryDue(
  reference: ReferenceData,
  departmentId: string,
  acceptedAt: Date,
  timeLimitDays: number,
): Date {
  return reference.calendarForDepartment(departmentId).addWorkingDays(acceptedAt, timeLimitDays);
}

/** A district's own override beats its city's. */
function mostSpecificOverride(
  overrides: readonly RuleVersion[],
  competent: string,
  reference: ReferenceData,
): RuleVersion | undefined {
  return overrides
    .filter((rule) => rule.region !== null && reference.isWithin(competent, rule.region))
    .sort((a, b) => (b.region?.length ?? 0) - (a.region?.length ?? 0))[0];
}

/**
 * An operator's assignment (triage, or a re-route by hand): the departments they chose, with the
 * cross-district flag and the due time worked out as for a routed case.
 */
export function manualRoute(
  request: RouteRequest,
  departmentIds: { readonly primary: string; readonly parallel: readonly string[] },
  reference: ReferenceData,
  /** Needed only for an item the catalogue does not know (yet): the time limit to run. */
  timeLimitDaysIfUnknown?: number,
):
  | { ok: true; decision: Extract<RouteDecision, { outcome: 'routed' }> }
  | { ok: false; field: string; reason: string } {
  const item = reference.item(request.itemCode);
  const office = reference.office(request.officeId);
  if (!office)
    return { ok: false, field: 'caseId', reason: `the case's office ${request.officeId} no longer exists` };
  const ids = [departmentIds.primary, ...departmentIds.parallel];
  const assignments: Assignment[] = [];
  for (const [index, id] of ids.entries()) {
    const field = index === 0 ? 'departmentId' : `parallelDepartmentIds.${index - 1}`;
    const department = reference.department(id);
    if (!department) return { ok: false, field, reason: `no department ${id}` };
    if (!department.enabled) return { ok: false, field, reason: `department ${id} is disabled` };
    if (ids.indexOf(id) !== index) return { ok: false, field, reason: `department ${id} is listed twice` };
    assignments.push({
      departmentId: id,
      districtCode: department.region,
      role: index === 0 ? 'primary' : 'parallel',
    });
  }
  const [primary] = assignments;
  if (!primary) return { ok: false, field: 'departmentId', reason: 'is required' };
  const timeLimitDays = item?.timeLimits.legalDays ?? timeLimitDaysIfUnknown;
  if (timeLimitDays === undefined) {
    return {
      ok: false,
      field: 'timeLimitDays',
      reason: `item ${request.itemCode} is not in the catalogue: give its statutory time limit in working days`,
    };
  }
  const slaDueAt = statutoryDue(reference, primary.departmentId, request.acceptedAt, timeLimitDays);
  const crossDistrict = !reference.isWithin(office.district, primary.districtCode);
  return {
    ok: true,
    decision: {
      outcome: 'routed',
      basis: 'manual',
      rule: undefined,
      competentRegion: primary.districtCode,
      assignments,
      crossDistrict,
      timeLimitDays,
      slaDueAt,
      explanation: {
        inputs: {
          itemCode: request.itemCode,
          officeId: request.officeId,
          officeDistrict: office.district,
          applicantKind: request.applicant.kind ?? null,
          householdDistrict: request.applicant.householdDistrict ?? null,
          registeredDistrict: request.applicant.registeredDistrict ?? null,
          acceptedAt: request.acceptedAt.toISOString(),
          rulesAt: request.acceptedAt.toISOString(),
        },
        rulesRevision: 0,
        rules: [],
        referenceData: reference.versionLabel(),
        steps: [
          `assigned by hand: ${ids.join(', ')}`,
          `due ${slaDueAt.toISOString()}: ${timeLimitDays} working days on the calendar of ${primary.districtCode}`,
        ],
      },
    },
  };
}
