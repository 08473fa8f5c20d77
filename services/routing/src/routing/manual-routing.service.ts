import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { type Actor, AuditTrail, eventActor } from '@tongban/auth';
import type { AnyCaseSnapshot } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { referenceData } from '@tongban/reference-data';
import { invalidRequest } from '@tongban/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { RuleCache } from '../rules/rule-cache.service';
import { routeRequestOf } from './case-router.service';
import { decideRoute, manualRoute, type RouteDecision, type RouteRequest } from './route-decision';
import type { AssignTriageDto, ListTriageDto, RerouteDto } from './routing-requests.dto';
import { type DecisionOrigin, recordDecision } from './routing-record';
import { RoutingMetrics } from './routing-metrics';

interface CaseRow {
  readonly case_id: string;
  readonly status: 'routed' | 'triage';
  readonly current_routing_id: string;
  readonly accepted_at: Date;
  readonly snapshot: AnyCaseSnapshot;
  readonly decided_at: Date | null;
}

const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message });

/**
 * What people do to routings: operators assign triaged cases by hand and re-route cases that
 * reached the wrong department. Each action locks the case, records the decision with the actor
 * and the reason, and publishes `case.routed` in the same transaction.
 */
@Injectable()
export class ManualRouting {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RuleCache,
    private readonly audit: AuditTrail,
    private readonly metrics: RoutingMetrics,
  ) {}

  async openTriage(query: ListTriageDto) {
    const rows = (await this.dataSource.query(
      `SELECT case_id AS "caseId", item_code AS "itemCode", office_id AS "officeId", reason, detail,
              unroutable_routing_id AS "routingId", queued_at AS "queuedAt"
         FROM routing_triage WHERE resolved_at IS NULL ORDER BY queued_at, case_id LIMIT $1`,
      [query.limit],
    )) as unknown[];
    return { items: rows };
  }

  async assignFromTriage(actor: Actor, caseId: string, dto: AssignTriageDto) {
    return this.act(actor, caseId, 'triage', async (manager, row, request) => {
      const [open] = (await manager.query(
        `SELECT case_id FROM routing_triage WHERE case_id = $1 AND resolved_at IS NULL FOR UPDATE`,
        [caseId],
      )) as unknown[];
      if (!open) throw conflict('the case is not waiting in triage');
      const assigned = this.manual(request, dto.departmentId, dto.parallelDepartmentIds, dto.timeLimitDays);
      return { decision: assigned, supersedes: row.current_routing_id, reason: dto.reason };
    });
  }

  async reroute(actor: Actor, caseId: string, dto: RerouteDto) {
    return this.act(actor, caseId, 'reroute', async (manager, row, request) => {
      if (row.status === 'triage')
        throw conflict('the case is waiting in triage: assign it from the triage queue');
      if (row.decided_at) throw conflict('the case has been decided and can no longer be re-routed');
      if (row.current_routing_id !== dto.supersedesRoutingId) {
        throw conflict(
          `routing ${dto.supersedesRoutingId} is not the case’s current routing (${row.current_routing_id})`,
        );
      }
      let decision: Extract<RouteDecision, { outcome: 'routed' }>;
      if (dto.departmentId) {
        decision = this.manual(request, dto.departmentId, dto.parallelDepartmentIds ?? []);
      } else {
        const byRules = decideRoute(request, await this.rules.rulesFor(manager), referenceData(), new Date());
        if (byRules.outcome === 'unroutable') {
          throw new UnprocessableEntityException({
            statusCode: 422,
            error: 'Unprocessable Entity',
            message: `the rules in force cannot route this case (${byRules.reason}: ${byRules.detail}); name a departmentId`,
          });
        }
        decision = byRules;
      }
      return { decision, supersedes: row.current_routing_id, reason: dto.reason };
    });
  }

  /** The case's routing history, each decision with its explanation. */
  async history(caseId: string) {
    const [row] = (await this.dataSource.query(
      `SELECT case_id AS "caseId", status, current_routing_id AS "currentRoutingId", accepted_at AS "acceptedAt",
              decided_at AS "decidedAt"
         FROM routing_cases WHERE case_id = $1`,
      [caseId],
    )) as unknown[];
    if (!row) throw new NotFoundException(`no routed case ${caseId}`);
    const decisions = (await this.dataSource.query(
      `SELECT routing_id AS "routingId", outcome, origin, supersedes_routing_id AS "supersedesRoutingId",
              rule_id AS "ruleId", rule_version AS "ruleVersion", basis, competent_region AS "competentRegion",
              assignments, cross_district AS "crossDistrict", time_limit_days AS "timeLimitDays",
              sla_due_at AS "slaDueAt", unroutable_reason AS "unroutableReason", detail, explanation,
              decided_by AS "decidedBy", decided_at AS "decidedAt"
         FROM routing_decisions WHERE case_id = $1 ORDER BY decided_at, routing_id`,
      [caseId],
    )) as unknown[];
    return { ...row, decisions };
  }

  private manual(
    request: RouteRequest,
    primary: string,
    parallel: readonly string[],
    timeLimitDays?: number,
  ) {
    const result = manualRoute(request, { primary, parallel }, referenceData(), timeLimitDays);
    if (!result.ok) throw invalidRequest([{ field: result.field, reason: result.reason }]);
    return result.decision;
  }

  private async act(
    actor: Actor,
    caseId: string,
    origin: Exclude<DecisionOrigin, 'rules'>,
    decide: (
      manager: EntityManager,
      row: CaseRow,
      request: RouteRequest,
    ) => Promise<{
      decision: Extract<RouteDecision, { outcome: 'routed' }>;
      supersedes: string;
      reason: string;
    }>,
  ) {
    const result = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `SELECT case_id, status, current_routing_id, accepted_at, snapshot, decided_at
           FROM routing_cases WHERE case_id = $1 FOR UPDATE`,
        [caseId],
      )) as CaseRow[];
      if (!row) throw new NotFoundException(`no routed case ${caseId}`);
      const { decision, supersedes, reason } = await decide(
        manager,
        row,
        routeRequestOf(row.snapshot, row.accepted_at),
      );
      const decidedAt = new Date();
      const recorded = await recordDecision(manager, {
        caseId,
        snapshot: row.snapshot,
        decision,
        origin,
        decidedBy: eventActor(actor),
        decidedAt,
        // A triaged case was never announced as routed, so its first routing supersedes nothing.
        ...(origin === 'reroute' ? { supersedesRoutingId: supersedes } : {}),
        reason,
      });
      await manager.query(
        `UPDATE routing_cases SET status = 'routed', current_routing_id = $2, updated_at = now() WHERE case_id = $1`,
        [caseId, recorded.routingId],
      );
      if (origin === 'triage') {
        await manager.query(
          `UPDATE routing_triage SET resolved_at = $2, resolved_by = $3, resolution_routing_id = $4 WHERE case_id = $1`,
          [caseId, decidedAt, JSON.stringify(eventActor(actor)), recorded.routingId],
        );
      }
      await appendToOutbox(manager, recorded.event);
      await this.audit.record(manager, {
        actor,
        action: origin === 'triage' ? 'routing.assign-from-triage' : 'routing.reroute',
        objectType: 'case',
        objectId: caseId,
        result: 'succeeded',
        detail: {
          routingId: recorded.routingId,
          supersedesRoutingId: supersedes,
          departments: decision.assignments.map((a) => a.departmentId),
          reason,
        },
      });
      return { routingId: recorded.routingId, decision };
    });
    this.metrics.countRouted(result.decision, origin);
    const { decision } = result;
    return {
      caseId,
      routingId: result.routingId,
      basis: decision.basis,
      assignments: decision.assignments,
      crossDistrict: decision.crossDistrict,
      slaDueAt: decision.slaDueAt.toISOString(),
      explanation: decision.explanation,
    };
  }
}
