/**
 * Shared vocabularies. Each is a frozen tuple so zod enums, TypeScript unions and database
 * check constraints can all be derived from the one list.
 */

// supervision (好差评 and 电子监察) was added after the first four: consumers of its events are deployed
// with the contracts that know it (docs/event-contracts.md, rule 3).
export const SERVICE_PRODUCERS = ['intake', 'routing', 'approval', 'delivery', 'supervision'] as const;
export type Producer = (typeof SERVICE_PRODUCERS)[number];

/** The applicant-facing life cycle of a case, as the intake timeline shows it. */
export const CASE_STATES = [
  'submitted',
  'routed',
  'unroutable',
  'supplement_requested',
  'approved',
  'rejected',
  'in_delivery',
  'ready_for_pickup',
  'delivered',
  'collected',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const ACTOR_ROLES = ['office_staff', 'reviewer', 'courier', 'operator', 'admin', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export const APPLICANT_KINDS = ['person', 'company'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

/**
 * A person's age at acceptance, in the bands the catalogue's age rules are written in (16: may
 * work; 18: adult; 60: retirement; 70: elder allowance). Events carry the band, never the birth
 * date: the birth date is the eight middle digits of the ID number that its mask hides.
 */
export const AGE_BANDS = ['0-15', '16-17', '18-59', '60-69', '70+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Lowest and highest age of each band (the last has no highest). */
export const AGE_BAND_RANGES: Readonly<
  Record<AgeBand, { readonly min: number; readonly max: number | null }>
> = Object.freeze({
  '0-15': { min: 0, max: 15 },
  '16-17': { min: 16, max: 17 },
  '18-59': { min: 18, max: 59 },
  '60-69': { min: 60, max: 69 },
  '70+': { min: 70, max: null },
});

/**
 * The birth dates (YYYY-MM-DD, both ends included) of everyone in a band on a day: what the
 * band tells about the birth date, and all it tells.
 */
export function birthDatesOfAgeBand(band: AgeBand, day: string): readonly [string, string] {
  const { min, max } = AGE_BAND_RANGES[band];
  const yearsBefore = (years: number) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y - years, m - 1, d));
  };
  const latest = yearsBefore(min).toISOString().slice(0, 10);
  const earliest =
    max === null
      ? '1900-01-01'
      : new Date(yearsBefore(max + 1).getTime() + 86_400_000).toISOString().slice(0, 10);
  return [earliest, latest];
}

export function ageBandOf(years: number): AgeBand {
  const band = AGE_BANDS.find((candidate) => {
    const { min, max } = AGE_BAND_RANGES[candidate];
    return years >= min && (max === null || years <= max);
  });
  if (!band) throw new RangeError(`ageBandOf: ${years} is not an age`);
  return band;
}

export const DELIVERY_METHODS = ['courier', 'post', 'pickup'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** What picked the competent district of a case (属地, registered seat, accepting office, fixed). */
export const JURISDICTION_BASES = [
  'household_district',
  'registered_district',
  'accepting_office',
  'fixed_department',
  'manual',
] as const;
export type JurisdictionBasis = (typeof JURISDICTION_BASES)[number];

export const ASSIGNMENT_ROLES = ['primary', 'parallel'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

export const UNROUTABLE_REASONS = [
  'no_rule',
  'department_disabled',
  'unknown_item',
  'unknown_district',
] as const;
export type UnroutableReason = (typeof UNROUTABLE_REASONS)[number];

export const DECISION_KINDS = ['approved', 'rejected'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Who made a decision: a reviewer, the 秒批 rule engine, or the system (e.g. a parallel withdrawal). */
export const DECISION_ORIGINS = ['reviewer', 'auto', 'system'] as const;
export type DecisionOrigin = (typeof DECISION_ORIGINS)[number];

export const SLA_EVENT_KINDS = ['paused', 'resumed', 'warning', 'overdue', 'escalated'] as const;
export type SlaEventKind = (typeof SLA_EVENT_KINDS)[number];

export const DELIVERY_STATES = [
  'created',
  'ready_for_dispatch',
  'picked_up',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
  'rescheduled',
  'posted',
  'ready_for_pickup',
  'collected',
  'returned_to_window',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const DELIVERY_FAILURE_REASONS = [
  'not_home',
  'refused',
  'wrong_address',
  'unreachable_by_phone',
  'identity_check_failed',
  'other',
] as const;
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

export const RATING_CHANNELS = ['window', 'sms', 'app', 'phone'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];

/**
 * 好差评's five levels, best first (政务服务“好差评”制度: 非常满意、满意、基本满意、不满意、非常不满意).
 * The last two are 差评: each opens a rectification.
 */
export const SATISFACTION_LEVELS = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

/** The stages of a case an applicant rates, each against the staff member who handled it. */
export const RATING_STAGES = ['acceptance', 'decision', 'handover'] as const;
export type RatingStage = (typeof RATING_STAGES)[number];
