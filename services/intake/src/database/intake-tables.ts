import type { AssistanceV2, CaseSnapshot, CaseState } from '@tongban/contracts';
import { column, type RowOf, table } from '@tongban/database';

/** One material the department asked for in a supplement request (一次性告知). */
export interface RequestedMaterial {
  readonly materialCode: string;
  readonly materialName: string;
  readonly reason: string;
}

/**
 * Intake's tables as its migrations create them: the one declaration the queries' row types come
 * from, checked against a migrated database by intake-tables.int-spec.ts.
 */
/**
 * 帮办代办 as kept on the case, as it travels: an agent's name sealed, the ID number and phone
 * protected like the applicant's (absent on cases accepted before they were kept).
 */
export type StoredAssistance = AssistanceV2;

export const cases = table('cases', {
  id: column.uuid(),
  receipt_number: column.text(),
  item_code: column.text(),
  office_id: column.text(),
  office_district: column.text(),
  applicant_kind: column.text<'person' | 'company'>(),
  applicant_name: column.text(),
  id_number_ciphertext: column.text().orNull(),
  id_number_hash: column.text().orNull(),
  id_number_masked: column.text().orNull(),
  phone_ciphertext: column.text(),
  phone_hash: column.text(),
  phone_masked: column.text(),
  household_district: column.text().orNull(),
  credit_code: column.text().orNull(),
  registered_district: column.text().orNull(),
  snapshot: column.jsonb<CaseSnapshot>(),
  status: column.text<CaseState>(),
  status_at: column.timestamptz(),
  supplement_due_at: column.timestamptz().orNull(),
  sla_due_at: column.timestamptz().orNull(),
  submitted_by: column.text(),
  submitted_at: column.timestamptz(),
  updated_at: column.timestamptz(),
  sla_due_at_as_of: column.timestamptz().orNull(),
  sla_paused: column.boolean(),
  rongque_expired_at: column.timestamptz().orNull(),
  rongque_reminded_at: column.timestamptz().orNull(),
  promised_due_at: column.timestamptz().orNull(),
  promise_department_id: column.text().orNull(),
  promise_first_due_at: column.timestamptz().orNull(),
  assistance: column.jsonb<StoredAssistance>().orNull(),
});
export type CaseRecord = RowOf<typeof cases>;

export const receiptSequences = table('receipt_sequences', {
  office_id: column.text(),
  day: column.date(),
  last_seq: column.integer(),
});
export type ReceiptSequenceRow = RowOf<typeof receiptSequences>;

export const idempotencyKeys = table('idempotency_keys', {
  actor_sub: column.text(),
  key: column.text(),
  request_hash: column.text(),
  case_id: column.uuid(),
  response: column.jsonb<unknown>(),
  created_at: column.timestamptz(),
});
export type IdempotencyKeyRow = RowOf<typeof idempotencyKeys>;

export const caseTimeline = table('case_timeline', {
  id: column.bigint(),
  case_id: column.uuid(),
  event_id: column.uuid(),
  event_type: column.text(),
  stage: column.text(),
  occurred_at: column.timestamptz(),
  office_id: column.text().orNull(),
  department_id: column.text().orNull(),
  actor_role: column.text().orNull(),
  detail: column.jsonb<Record<string, unknown>>(),
});
export type CaseTimelineRow = RowOf<typeof caseTimeline>;

export const supplementRequests = table('supplement_requests', {
  request_id: column.uuid(),
  case_id: column.uuid(),
  department_id: column.text(),
  round: column.integer(),
  items: column.jsonb<readonly RequestedMaterial[]>(),
  due_at: column.timestamptz().orNull(),
  requested_at: column.timestamptz(),
  answered_at: column.timestamptz().orNull(),
});
export type SupplementRequestRow = RowOf<typeof supplementRequests>;

export const ratings = table('ratings', {
  case_id: column.uuid(),
  score: column.smallint(),
  comment: column.text().orNull(),
  tags: column.textArray(),
  channel: column.text(),
  office_id: column.text(),
  rated_at: column.timestamptz(),
});
export type RatingRow = RowOf<typeof ratings>;

export const INTAKE_TABLES = [
  cases,
  receiptSequences,
  idempotencyKeys,
  caseTimeline,
  supplementRequests,
  ratings,
];
