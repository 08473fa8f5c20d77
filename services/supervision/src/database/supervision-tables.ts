import { column, type RowOf, table } from '@tongban/database';
import type { RatingChannel, RatingStage, SatisfactionLevel } from '@tongban/contracts';
import type { Figures } from '../figures/figures';
import type { RectificationState } from '../rectifications/rectification-machine';
import type { ReportKind } from '../reports/report-periods';

/**
 * The supervision service's tables as its migrations create them: the one declaration the
 * queries' row types come from, checked against a migrated database by supervision-tables.int-spec.ts.
 */
export const caseFacts = table('case_facts', {
  case_id: column.uuid(),
  receipt_number: column.text().orNull(),
  item_code: column.text().orNull(),
  accepting_office_id: column.text().orNull(),
  accepting_district: column.text().orNull(),
  phone_last4: column.text().orNull(),
  accepted_at: column.timestamptz().orNull(),
  accepted_by: column.text().orNull(),
  rongque: column.boolean().orNull(),
  rongque_completed_at: column.timestamptz().orNull(),
  department_id: column.text().orNull(),
  competent_district: column.text().orNull(),
  cross_district: column.boolean().orNull(),
  legal_first_due_at: column.timestamptz().orNull(),
  legal_due_at: column.timestamptz().orNull(),
  supplement_rounds: column.integer(),
  decided_at: column.timestamptz().orNull(),
  outcome: column.text().orNull(),
  decision_origin: column.text().orNull(),
  decided_by: column.text().orNull(),
  decision_department_id: column.text().orNull(),
  decision_working_days: column.integer().orNull(),
  promised_due_at: column.timestamptz().orNull(),
  handed_over_at: column.timestamptz().orNull(),
  handed_over_by: column.text().orNull(),
  handover_role: column.text().orNull(),
  handover_office_id: column.text().orNull(),
  handover_courier_id: column.text().orNull(),
  updated_at: column.timestamptz(),
});
export type CaseFactRow = RowOf<typeof caseFacts>;

export const ratings = table('ratings', {
  id: column.uuid(),
  case_id: column.uuid(),
  stage: column.text<RatingStage>(),
  level: column.text<SatisfactionLevel>(),
  comment: column.text().orNull(),
  channel: column.text<RatingChannel>(),
  item_code: column.text(),
  office_id: column.text(),
  district: column.text(),
  department_id: column.text().orNull(),
  staff_sub: column.text().orNull(),
  staff_role: column.text(),
  courier_id: column.text().orNull(),
  rated_at: column.timestamptz(),
  withdrawn_at: column.timestamptz().orNull(),
});
export type RatingRow = RowOf<typeof ratings>;

export const rectifications = table('rectifications', {
  id: column.uuid(),
  rating_id: column.uuid(),
  case_id: column.uuid(),
  stage: column.text<RatingStage>(),
  state: column.text<RectificationState>(),
  office_id: column.text(),
  department_id: column.text().orNull(),
  courier_id: column.text().orNull(),
  owner_sub: column.text().orNull(),
  owner_role: column.text(),
  opened_at: column.timestamptz(),
  due_at: column.timestamptz(),
  visited_at: column.timestamptz().orNull(),
  visit_note: column.text().orNull(),
  verified_at: column.timestamptz().orNull(),
  verification_note: column.text().orNull(),
  rectified_at: column.timestamptz().orNull(),
  rectification: column.text().orNull(),
  rectification_note: column.text().orNull(),
  appealed_at: column.timestamptz().orNull(),
  appeal_reason: column.text().orNull(),
  appeal_decision: column.text().orNull(),
  appeal_decided_at: column.timestamptz().orNull(),
  appeal_decided_by: column.text().orNull(),
  appeal_note: column.text().orNull(),
  closed_at: column.timestamptz().orNull(),
});
export type RectificationRow = RowOf<typeof rectifications>;

export const reports = table('reports', {
  id: column.uuid(),
  kind: column.text<ReportKind>(),
  period_from: column.text(),
  period_to: column.text(),
  trigger: column.text<'schedule' | 'demand'>(),
  requested_by: column.text().orNull(),
  generated_at: column.timestamptz(),
  xlsx_base64: column.text(),
  html: column.text(),
  summary: column.jsonb<Partial<Figures>>(),
});
export type ReportRow = RowOf<typeof reports>;

export const pendingIntakeRatings = table('pending_intake_ratings', {
  case_id: column.uuid(),
  score: column.smallint(),
  comment: column.text().orNull(),
  channel: column.text<RatingChannel>(),
  rated_at: column.timestamptz(),
  received_at: column.timestamptz(),
});
export type PendingIntakeRatingRow = RowOf<typeof pendingIntakeRatings>;

export const SUPERVISION_TABLES = [caseFacts, ratings, rectifications, reports, pendingIntakeRatings];
