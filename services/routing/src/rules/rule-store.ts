import type { Actor as EventActor } from '@tongban/contracts';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { type RuleDraft, RuleSet, type RuleVersion } from './routing-rule';
import { type RulesRevisionRow, type RuleVersionRow, ruleVersions } from './rule-tables';

/** A stored version with who made it, as the rules API shows it. */
export interface StoredRuleVersion extends RuleVersion {
  readonly createdBy: EventActor;
  readonly createdAt: Date;
  readonly closedByVersion: number | null;
}

function toVersion(row: RuleVersionRow): RuleVersion {
  return {
    ruleId: row.rule_id,
    version: row.version,
    itemCode: row.item_code,
    region: row.region,
    effectiveFrom: row.effective_from,
    effectiveTo: row.effective_to,
    basis: row.basis,
    departmentType: row.department_type,
    departmentId: row.department_id,
    parallelDepartmentTypes: row.parallel_department_types,
    note: row.note,
  };
}

/**
 * Every rule version with the revision it belongs to, read in one statement so the two always
 * agree (a change that commits in between is either wholly in or wholly out).
 */
export async function readRuleSet(db: Queryable): Promise<RuleSet> {
  // With no versions yet the left join yields one row of nulls besides the revision.
  const rows = await query<Pick<RulesRevisionRow, 'revision'> & NullableRow<RuleVersionRow>>(
    db,
    `SELECT r.revision, ${ruleVersions.columnsOf('v')}
       FROM routing_rules_revision r
       LEFT JOIN routing_rule_versions v ON true`,
  );
  const revision = Number(rows[0]?.revision ?? 0);
  return new RuleSet(rows.filter(isVersion).map(toVersion), revision);
}

/** A row of the left join's right side: every column null when the side is empty. */
type NullableRow<Row> = { [Key in keyof Row]: Row[Key] | null };

function isVersion<Row extends NullableRow<RuleVersionRow>>(row: Row): row is Row & RuleVersionRow {
  return row.rule_id !== null;
}

export async function readRevision(db: Queryable): Promise<number> {
  const row = await queryOne<Pick<RulesRevisionRow, 'revision'>>(
    db,
    `SELECT revision FROM routing_rules_revision`,
  );
  return Number(row?.revision ?? 0);
}

/** Serialises rule changes (they are rare): the row lock is held to the end of the transaction. */
export async function lockRules(db: Queryable): Promise<void> {
  await query(db, `SELECT revision FROM routing_rules_revision FOR UPDATE`);
}

/** Marks a change; returns the revision the caller's transaction will commit as. */
export async function bumpRevision(db: Queryable): Promise<number> {
  const { rows } = await execute<Pick<RulesRevisionRow, 'revision'>>(
    db,
    `UPDATE routing_rules_revision SET revision = revision + 1 RETURNING revision`,
  );
  return Number(rows[0]?.revision);
}

export async function readHistory(db: Queryable, ruleId: string): Promise<StoredRuleVersion[]> {
  const rows = await query<RuleVersionRow>(
    db,
    `SELECT ${ruleVersions.columnList} FROM routing_rule_versions WHERE rule_id = $1 ORDER BY version`,
    [ruleId],
  );
  return rows.map((row) => ({
    ...toVersion(row),
    createdBy: row.created_by,
    createdAt: row.created_at,
    closedByVersion: row.closed_by_version,
  }));
}

export async function insertVersion(
  db: Queryable,
  version: RuleVersion,
  createdBy: EventActor,
): Promise<void> {
  await execute(
    db,
    `INSERT INTO routing_rule_versions
       (rule_id, version, item_code, region, effective_from, effective_to, basis, department_type,
        department_id, parallel_department_types, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      version.ruleId,
      version.version,
      version.itemCode,
      version.region,
      version.effectiveFrom,
      version.effectiveTo,
      version.basis,
      version.departmentType,
      version.departmentId,
      version.parallelDepartmentTypes,
      version.note,
      JSON.stringify(createdBy),
    ],
  );
}

/** Ends an open-ended version where its successor starts. */
export async function closeVersion(db: Queryable, closed: RuleVersion, by: RuleVersion): Promise<void> {
  await execute(
    db,
    `UPDATE routing_rule_versions SET effective_to = $3, closed_by_version = $4
      WHERE rule_id = $1 AND version = $2 AND effective_to IS NULL`,
    [closed.ruleId, closed.version, by.effectiveFrom, by.version],
  );
}

/** Inserts version 1 of each draft whose rule has no history yet; returns how many it added. */
export async function insertMissingRules(
  db: Queryable,
  drafts: readonly (RuleDraft & { ruleId: string })[],
  createdBy: EventActor,
): Promise<number> {
  const rows = await query<Pick<RuleVersionRow, 'rule_id'>>(
    db,
    `SELECT DISTINCT rule_id FROM routing_rule_versions`,
  );
  const existing = new Set(rows.map((row) => row.rule_id));
  const missing = drafts.filter((draft) => !existing.has(draft.ruleId));
  for (const draft of missing) await insertVersion(db, { ...draft, version: 1 }, createdBy);
  return missing.length;
}
