import type { Actor as EventActor } from '@tongban/contracts';
import type { EntityManager } from 'typeorm';
import { type RuleBasis, type RuleDraft, RuleSet, type RuleVersion } from './routing-rule';

interface RuleRow {
  readonly rule_id: string;
  readonly version: number;
  readonly item_code: string;
  readonly region: string | null;
  readonly effective_from: Date;
  readonly effective_to: Date | null;
  readonly basis: RuleBasis | null;
  readonly department_type: string | null;
  readonly department_id: string | null;
  readonly parallel_department_types: string[] | null;
  readonly note: string;
}

/** A stored version with who made it, as the rules API shows it. */
export interface StoredRuleVersion extends RuleVersion {
  readonly createdBy: EventActor;
  readonly createdAt: Date;
  readonly closedByVersion: number | null;
}

function toVersion(row: RuleRow): RuleVersion {
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
export async function readRuleSet(manager: EntityManager): Promise<RuleSet> {
  const rows = (await manager.query(
    `SELECT r.revision, v.*
       FROM routing_rules_revision r
       LEFT JOIN routing_rule_versions v ON true`,
  )) as (RuleRow & { revision: string })[];
  const revision = Number(rows[0]?.revision ?? 0);
  // With no versions yet the left join yields one row of nulls besides the revision.
  return new RuleSet(rows.filter((row) => (row.rule_id as string | null) !== null).map(toVersion), revision);
}

export async function readRevision(manager: EntityManager): Promise<number> {
  const [row] = (await manager.query(`SELECT revision FROM routing_rules_revision`)) as {
    revision: string;
  }[];
  return Number(row?.revision ?? 0);
}

/** Serialises rule changes (they are rare): the row lock is held to the end of the transaction. */
export async function lockRules(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT revision FROM routing_rules_revision FOR UPDATE`);
}

/** Marks a change; returns the revision the caller's transaction will commit as. */
export async function bumpRevision(manager: EntityManager): Promise<number> {
  // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
  const [rows] = (await manager.query(
    `UPDATE routing_rules_revision SET revision = revision + 1 RETURNING revision`,
  )) as [{ revision: string }[], number];
  return Number(rows[0]?.revision);
}

export async function readHistory(manager: EntityManager, ruleId: string): Promise<StoredRuleVersion[]> {
  const rows = (await manager.query(
    `SELECT * FROM routing_rule_versions WHERE rule_id = $1 ORDER BY version`,
    [ruleId],
  )) as (RuleRow & { created_by: EventActor; created_at: Date; closed_by_version: number | null })[];
  return rows.map((row) => ({
    ...toVersion(row),
    createdBy: row.created_by,
    createdAt: row.created_at,
    closedByVersion: row.closed_by_version,
  }));
}

export async function insertVersion(
  manager: EntityManager,
  version: RuleVersion,
  createdBy: EventActor,
): Promise<void> {
  await manager.query(
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
export async function closeVersion(
  manager: EntityManager,
  closed: RuleVersion,
  by: RuleVersion,
): Promise<void> {
  await manager.query(
    `UPDATE routing_rule_versions SET effective_to = $3, closed_by_version = $4
      WHERE rule_id = $1 AND version = $2 AND effective_to IS NULL`,
    [closed.ruleId, closed.version, by.effectiveFrom, by.version],
  );
}

/** Inserts version 1 of each draft whose rule has no history yet; returns how many it added. */
export async function insertMissingRules(
  manager: EntityManager,
  drafts: readonly (RuleDraft & { ruleId: string })[],
  createdBy: EventActor,
): Promise<number> {
  const existing = new Set(
    (
      (await manager.query(`SELECT DISTINCT rule_id FROM routing_rule_versions`)) as { rule_id: string }[]
    ).map((row) => row.rule_id),
  );
  const missing = drafts.filter((draft) => !existing.has(draft.ruleId));
  for (const draft of missing) await insertVersion(manager, { ...draft, version: 1 }, createdBy);
  return missing.length;
}
