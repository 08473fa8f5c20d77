import type { Actor as EventActor } from '@tongban/contracts';
import { column, type RowOf, table } from '@tongban/database';
import type { RuleBasis } from './routing-rule';

/**
 * The rules' tables as routing's migrations create them: the one declaration the queries' row
 * types come from, checked against a migrated database by database/routing-tables.int-spec.ts.
 */
export const ruleVersions = table('routing_rule_versions', {
  rule_id: column.text(),
  version: column.integer(),
  item_code: column.text(),
  region: column.text().orNull(),
  effective_from: column.timestamptz(),
  effective_to: column.timestamptz().orNull(),
  basis: column.text<RuleBasis>().orNull(),
  department_type: column.text().orNull(),
  department_id: column.text().orNull(),
  parallel_department_types: column.textArray().orNull(),
  note: column.text(),
  created_by: column.jsonb<EventActor>(),
  created_at: column.timestamptz(),
  closed_by_version: column.integer().orNull(),
});
export type RuleVersionRow = RowOf<typeof ruleVersions>;

export const rulesRevision = table('routing_rules_revision', {
  singleton: column.boolean(),
  revision: column.bigint(),
});
export type RulesRevisionRow = RowOf<typeof rulesRevision>;

export const RULE_TABLES = [ruleVersions, rulesRevision];
