/**
 * Shared vocabularies. Each is a frozen tuple so zod enums, TypeScript unions and database
 * check constraints can all be derived from the one list.
 */

export const SERVICE_PRODUCERS = ['intake', 'routing', 'approval', 'delivery'] as const;
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
