import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { execute, queryOne, type Queryable } from '@tongban/database';
import { ReferenceData } from '@tongban/reference-data';
import type { DataSource } from 'typeorm';
import { type CaseFactRow, caseFacts } from '../database/supervision-tables';
import { derivedFacts, type FactPatch } from './case-facts';

const COLUMNS = new Set(Object.keys(caseFacts.columns));

function columnName(name: string): string {
  if (!COLUMNS.has(name)) throw new Error(`case_facts has no column ${name}`);
  return name;
}

/** The case_facts projection: one row per case, written by whichever event comes first. */
@Injectable()
export class CaseFactStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reference: ReferenceData,
  ) {}

  async apply(manager: Queryable, caseId: string, patch: FactPatch): Promise<void> {
    const entries: [string, unknown, 'set' | 'keep' | 'max'][] = [
      ...Object.entries(patch.set).map(([k, v]) => [k, v, 'set'] as [string, unknown, 'set']),
      ...Object.entries(patch.keep ?? {}).map(([k, v]) => [k, v, 'keep'] as [string, unknown, 'keep']),
      ...Object.entries(patch.max ?? {}).map(([k, v]) => [k, v, 'max'] as [string, unknown, 'max']),
    ].filter(([, value]) => value !== undefined);
    const names = entries.map(([name]) => columnName(name));
    const updates = entries.map(([name, , how]) => {
      if (how === 'set') return `${name} = EXCLUDED.${name}`;
      if (how === 'keep') return `${name} = COALESCE(case_facts.${name}, EXCLUDED.${name})`;
      return `${name} = GREATEST(case_facts.${name}, EXCLUDED.${name})`;
    });
    await execute(
      manager,
      `INSERT INTO case_facts (case_id${names.map((n) => `, ${n}`).join('')})
       VALUES ($1${names.map((_, i) => `, $${i + 2}`).join('')})
       ON CONFLICT (case_id) DO UPDATE SET ${[...updates, 'updated_at = now()'].join(', ')}`,
      [caseId, ...entries.map(([, value]) => value)],
    );
    const row = await this.find(caseId, manager);
    if (!row) return;
    const derived = derivedFacts(
      row,
      (department) =>
        this.reference.department(department) ? this.reference.calendarForDepartment(department) : undefined,
      (item) => this.reference.item(item)?.timeLimits.promisedDays,
    );
    await execute(
      manager,
      `UPDATE case_facts SET decision_working_days = $2, promised_due_at = $3 WHERE case_id = $1`,
      [caseId, derived.decision_working_days, derived.promised_due_at],
    );
  }

  find(caseId: string, db: Queryable = this.dataSource): Promise<CaseFactRow | undefined> {
    return queryOne<CaseFactRow>(db, `SELECT ${caseFacts.columnList} FROM case_facts WHERE case_id = $1`, [
      caseId,
    ]);
  }

  /** The case an applicant names by receipt and phone ending; the two wrong answer alike. */
  findByProof(receipt: string, phoneLast4: string, db: Queryable): Promise<CaseFactRow | undefined> {
    return queryOne<CaseFactRow>(
      db,
      `SELECT ${caseFacts.columnList} FROM case_facts WHERE receipt_number = $1 AND phone_last4 = $2 FOR UPDATE`,
      [receipt, phoneLast4],
    );
  }

  lock(caseId: string, db: Queryable): Promise<CaseFactRow | undefined> {
    return queryOne<CaseFactRow>(
      db,
      `SELECT ${caseFacts.columnList} FROM case_facts WHERE case_id = $1 FOR UPDATE`,
      [caseId],
    );
  }
}
