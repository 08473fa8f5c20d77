import type { AnyCaseSnapshot, Actor as EventActor, UnroutableReason } from '@tongban/contracts';
import { column, type RowOf, table } from '@tongban/database';
import type { Assignment, RouteExplanation } from './route-decision';

/**
 * Routing's case tables as its migrations create them: the one declaration the queries' row
 * types come from, checked against a migrated database by database/routing-tables.int-spec.ts.
 */
/** Who made a routing decision: the rules, or a person assigning from triage or re-routing. */
export type DecisionOrigin = 'rules' | 'triage' | 'reroute';

export const routingCases = table('routing_cases', {
  case_id: column.uuid(),
  item_code: column.text(),
  office_id: column.text(),
  accepted_at: column.timestamptz(),
  snapshot: column.jsonb<AnyCaseSnapshot>(),
  status: column.text<'routed' | 'triage'>(),
  current_routing_id: column.uuid(),
  decided_at: column.timestamptz().orNull(),
  updated_at: column.timestamptz(),
});
export type RoutingCaseRow = RowOf<typeof routingCases>;

export const routingDecisions = table('routing_decisions', {
  routing_id: column.uuid(),
  case_id: column.uuid(),
  outcome: column.text<'routed' | 'unroutable'>(),
  origin: column.text<DecisionOrigin>(),
  supersedes_routing_id: column.uuid().orNull(),
  rule_id: column.text().orNull(),
  rule_version: column.integer().orNull(),
  basis: column.text().orNull(),
  competent_region: column.text().orNull(),
  assignments: column.jsonb<readonly Assignment[]>().orNull(),
  cross_district: column.boolean().orNull(),
  time_limit_days: column.integer().orNull(),
  sla_due_at: column.timestamptz().orNull(),
  unroutable_reason: column.text<UnroutableReason>().orNull(),
  detail: column.text().orNull(),
  explanation: column.jsonb<RouteExplanation>(),
  decided_by: column.jsonb<EventActor>(),
  decided_at: column.timestamptz(),
});
export type RoutingDecisionRow = RowOf<typeof routingDecisions>;

export const routingTriage = table('routing_triage', {
  case_id: column.uuid(),
  item_code: column.text(),
  office_id: column.text(),
  reason: column.text(),
  detail: column.text(),
  unroutable_routing_id: column.uuid(),
  queued_at: column.timestamptz(),
  resolved_at: column.timestamptz().orNull(),
  resolved_by: column.jsonb<EventActor>().orNull(),
  resolution_routing_id: column.uuid().orNull(),
});
export type RoutingTriageRow = RowOf<typeof routingTriage>;

export const ROUTING_CASE_TABLES = [routingCases, routingDecisions, routingTriage];
