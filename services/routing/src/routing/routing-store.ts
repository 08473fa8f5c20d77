import { Injectable } from '@nestjs/common';
import type { Actor as EventActor } from '@tongban/contracts';
import { execute, query, queryOne, type Queryable } from '@tongban/database';
import { inTransaction, type TransactionUnit } from '@tongban/messaging';
import { DataSource } from 'typeorm';
import {
  type RoutingCaseRow,
  routingCases,
  type RoutingDecisionRow,
  routingDecisions,
  type RoutingTriageRow,
} from './routing-tables';

export type NewRoutingCase = Omit<RoutingCaseRow, 'decided_at' | 'updated_at'>;
export type NewTriageEntry = Omit<RoutingTriageRow, 'resolved_at' | 'resolved_by' | 'resolution_routing_id'>;

/** A triaged case as the triage queue lists it. */
export interface TriageEntry {
  readonly caseId: string;
  readonly itemCode: string;
  readonly officeId: string;
  readonly reason: string;
  readonly detail: string;
  readonly routingId: string;
  readonly queuedAt: Date;
}

/** All of routing's case SQL: routed cases, their decisions, the triage queue. */
@Injectable()
export class RoutingStore {
  constructor(private readonly dataSource: DataSource) {}

  /** A transaction with post-commit work (metrics), for the operators' actions. */
  transaction<Result>(work: (unit: TransactionUnit) => Promise<Result>): Promise<Result> {
    return inTransaction(this.dataSource, work);
  }

  /** False when the case was routed before (its case.submitted seen under another event id). */
  async claimCase(db: Queryable, row: NewRoutingCase): Promise<boolean> {
    const { count } = await execute(
      db,
      `INSERT INTO routing_cases (case_id, item_code, office_id, accepted_at, snapshot, status, current_routing_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (case_id) DO NOTHING`,
      [
        row.case_id,
        row.item_code,
        row.office_id,
        row.accepted_at,
        JSON.stringify(row.snapshot),
        row.status,
        row.current_routing_id,
      ],
    );
    return count > 0;
  }

  lockCase(db: Queryable, caseId: string): Promise<RoutingCaseRow | undefined> {
    return queryOne<RoutingCaseRow>(
      db,
      `SELECT ${routingCases.columnList} FROM routing_cases WHERE case_id = $1 FOR UPDATE`,
      [caseId],
    );
  }

  findCase(caseId: string): Promise<RoutingCaseRow | undefined> {
    return queryOne<RoutingCaseRow>(
      this.dataSource,
      `SELECT ${routingCases.columnList} FROM routing_cases WHERE case_id = $1`,
      [caseId],
    );
  }

  async setCurrentRouting(db: Queryable, caseId: string, routingId: string): Promise<void> {
    await execute(
      db,
      `UPDATE routing_cases SET status = 'routed', current_routing_id = $2, updated_at = now() WHERE case_id = $1`,
      [caseId, routingId],
    );
  }

  /** A decided case can no longer be re-routed; the first decision's time stays. */
  async markDecided(db: Queryable, caseId: string, decidedAt: Date): Promise<void> {
    await execute(
      db,
      `UPDATE routing_cases SET decided_at = $2, updated_at = now() WHERE case_id = $1 AND decided_at IS NULL`,
      [caseId, decidedAt],
    );
  }

  async addDecision(db: Queryable, row: RoutingDecisionRow): Promise<void> {
    await execute(
      db,
      `INSERT INTO routing_decisions (${routingDecisions.columnList})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        row.routing_id,
        row.case_id,
        row.outcome,
        row.origin,
        row.supersedes_routing_id,
        row.rule_id,
        row.rule_version,
        row.basis,
        row.competent_region,
        row.assignments === null ? null : JSON.stringify(row.assignments),
        row.cross_district,
        row.time_limit_days,
        row.sla_due_at,
        row.unroutable_reason,
        row.detail,
        JSON.stringify(row.explanation),
        JSON.stringify(row.decided_by),
        row.decided_at,
      ],
    );
  }

  decisionsOf(caseId: string): Promise<RoutingDecisionRow[]> {
    return query<RoutingDecisionRow>(
      this.dataSource,
      `SELECT ${routingDecisions.columnList} FROM routing_decisions WHERE case_id = $1 ORDER BY decided_at, routing_id`,
      [caseId],
    );
  }

  async queueTriage(db: Queryable, entry: NewTriageEntry): Promise<void> {
    await execute(
      db,
      `INSERT INTO routing_triage (case_id, item_code, office_id, reason, detail, unroutable_routing_id, queued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.case_id,
        entry.item_code,
        entry.office_id,
        entry.reason,
        entry.detail,
        entry.unroutable_routing_id,
        entry.queued_at,
      ],
    );
  }

  /** Whether the case waits in triage, its entry locked until the caller's transaction ends. */
  async lockOpenTriage(db: Queryable, caseId: string): Promise<boolean> {
    const rows = await query<Pick<RoutingTriageRow, 'case_id'>>(
      db,
      `SELECT case_id FROM routing_triage WHERE case_id = $1 AND resolved_at IS NULL FOR UPDATE`,
      [caseId],
    );
    return rows.length > 0;
  }

  async resolveTriage(
    db: Queryable,
    caseId: string,
    resolution: { readonly at: Date; readonly by: EventActor; readonly routingId: string },
  ): Promise<void> {
    await execute(
      db,
      `UPDATE routing_triage SET resolved_at = $2, resolved_by = $3, resolution_routing_id = $4 WHERE case_id = $1`,
      [caseId, resolution.at, JSON.stringify(resolution.by), resolution.routingId],
    );
  }

  openTriage(limit: number): Promise<TriageEntry[]> {
    return query<TriageEntry>(
      this.dataSource,
      `SELECT case_id AS "caseId", item_code AS "itemCode", office_id AS "officeId", reason, detail,
              unroutable_routing_id AS "routingId", queued_at AS "queuedAt"
         FROM routing_triage WHERE resolved_at IS NULL ORDER BY queued_at, case_id LIMIT $1`,
      [limit],
    );
  }

  async openTriageCount(): Promise<number> {
    const row = await queryOne<{ open: number }>(
      this.dataSource,
      `SELECT count(*)::int AS open FROM routing_triage WHERE resolved_at IS NULL`,
    );
    return row?.open ?? 0;
  }
}
