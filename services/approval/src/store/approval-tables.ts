import type { Actor as EventActor, AnyCaseSnapshot, DecisionOrigin } from '@tongban/contracts';
import { column, type RowOf, table } from '@tongban/database';
import type { CaseState, ResultDocument, SupplementItem } from '../domain/approval-case';
import type { EvaluatedCheck } from '../domain/auto-approval';
import type { WorkItemState } from '../domain/parallel-join';
import type { SlaTimerKind } from '../domain/sla-clock';

/**
 * Approval's tables as its migrations create them: the one declaration the queries' row types
 * come from, checked against a migrated database by approval-tables.int-spec.ts.
 */
export const approvalCases = table('approval_cases', {
  case_id: column.uuid(),
  routing_id: column.uuid(),
  item_code: column.text(),
  receipt_number: column.text(),
  snapshot: column.jsonb<AnyCaseSnapshot>(),
  state: column.text<CaseState>(),
  clock_department_id: column.text(),
  time_limit_days: column.integer(),
  clock_started_at: column.timestamptz(),
  due_at: column.timestamptz(),
  budget_seconds: column.double(),
  warn_at: column.timestamptz().orNull(),
  paused_at: column.timestamptz().orNull(),
  remaining_seconds: column.double().orNull(),
  supplement_round: column.integer(),
  outcome: column.text<'approved' | 'rejected'>().orNull(),
  origin: column.text<DecisionOrigin>().orNull(),
  decided_at: column.timestamptz().orNull(),
  result_document: column.jsonb<ResultDocument>().orNull(),
  auto_checks: column.jsonb<readonly EvaluatedCheck[]>().orNull(),
  version: column.integer(),
  created_at: column.timestamptz(),
  updated_at: column.timestamptz(),
});
export type ApprovalCaseRow = RowOf<typeof approvalCases>;

export const workItems = table('work_items', {
  id: column.uuid(),
  case_id: column.uuid(),
  routing_id: column.uuid(),
  department_id: column.text(),
  district_code: column.text(),
  role: column.text<'primary' | 'parallel'>(),
  item_code: column.text(),
  receipt_number: column.text(),
  state: column.text<WorkItemState>(),
  claimed_by: column.text().orNull(),
  claimed_at: column.timestamptz().orNull(),
  escalated_at: column.timestamptz().orNull(),
  origin: column.text<DecisionOrigin>().orNull(),
  decided_by: column.jsonb<EventActor>().orNull(),
  decided_at: column.timestamptz().orNull(),
  reason_code: column.text().orNull(),
  reason_text: column.text().orNull(),
  document: column.jsonb<ResultDocument>().orNull(),
  auto_checks: column.jsonb<readonly EvaluatedCheck[]>().orNull(),
  withdrawn_reason: column.text().orNull(),
  version: column.integer(),
  created_at: column.timestamptz(),
  updated_at: column.timestamptz(),
});
export type WorkItemRow = RowOf<typeof workItems>;

export const supplementRequests = table('supplement_requests', {
  request_id: column.uuid(),
  case_id: column.uuid(),
  work_item_id: column.uuid(),
  department_id: column.text(),
  round: column.integer(),
  items: column.jsonb<readonly SupplementItem[]>(),
  requested_by: column.jsonb<EventActor>(),
  requested_at: column.timestamptz(),
  due_at: column.timestamptz().orNull(),
  answered_at: column.timestamptz().orNull(),
  answered_materials: column.textArray().orNull(),
  withdrawn_at: column.timestamptz().orNull(),
});
export type SupplementRequestRow = RowOf<typeof supplementRequests>;

export const slaTimers = table('sla_timers', {
  id: column.bigint(),
  case_id: column.uuid(),
  routing_id: column.uuid(),
  kind: column.text<SlaTimerKind>(),
  fire_at: column.timestamptz(),
  state: column.text<'pending' | 'paused' | 'fired' | 'cancelled'>(),
  fired_at: column.timestamptz().orNull(),
  created_at: column.timestamptz(),
  updated_at: column.timestamptz(),
});
export type SlaTimerRow = RowOf<typeof slaTimers>;

export const documentSequences = table('document_sequences', {
  department_id: column.text(),
  day: column.date(),
  last_seq: column.integer(),
});
export type DocumentSequenceRow = RowOf<typeof documentSequences>;

export const APPROVAL_TABLES = [approvalCases, workItems, supplementRequests, slaTimers, documentSequences];
