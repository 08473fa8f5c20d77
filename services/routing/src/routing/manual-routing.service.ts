import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { type Actor, AuditTrail, eventActor } from '@tongban/auth';
import type { TransactionUnit } from '@tongban/messaging';
import { ReferenceData } from '@tongban/reference-data';
import { Clock, invalidRequest } from '@tongban/runtime';
import type { EntityManager } from 'typeorm';
import { RuleCache } from '../rules/rule-cache.service';
import { routeRequestOf } from './case-router.service';
import { decideRoute, manualRoute, type RouteDecision, type RouteRequest } from './route-decision';
import type { AssignTriageDto, ListTriageDto, RerouteDto } from './routing-requests.dto';
import { type DecisionOrigin, routingRecord } from './routing-record';
import { RoutingMetrics } from './routing-metrics';
import { RoutingStore } from './routing-store';
import type { RoutingCaseRow } from './routing-tables';

const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message });

/**
 * What people do to routings: operators assign triaged cases by hand and re-route cases that
 * reached the wrong department. Each action locks the case, records the decision with the actor
 * and the reason, and publishes `case.routed` in the same transaction.
 */
@Injectable()
export class ManualRouting {
  constructor(
    private readonly store: RoutingStore,
    private readonly rules: RuleCache,
    private readonly audit: AuditTrail,
    private readonly metrics: RoutingMetrics,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
  ) {}

  async openTriage(query: ListTriageDto) {
    return { items: await this.store.openTriage(query.limit) };
  }

  async assignFromTriage(actor: Actor, caseId: string, dto: AssignTriageDto) {
    return this.act(actor, caseId, 'triage', async (manager, row, request) => {
      if (!(await this.store.lockOpenTriage(manager, caseId)))
        throw conflict('the case is not waiting in triage');
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
        const byRules = decideRoute(
          request,
          await this.rules.rulesFor(manager),
          this.reference,
          this.clock.now(),
        );
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
    const row = await this.store.findCase(caseId);
    if (!row) throw new NotFoundException(`no routed case ${caseId}`);
    const decisions = await this.store.decisionsOf(caseId);
    return {
      caseId: row.case_id,
      status: row.status,
      currentRoutingId: row.current_routing_id,
      acceptedAt: row.accepted_at,
      decidedAt: row.decided_at,
      decisions: decisions.map((decision) => ({
        routingId: decision.routing_id,
        outcome: decision.outcome,
        origin: decision.origin,
        supersedesRoutingId: decision.supersedes_routing_id,
        ruleId: decision.rule_id,
        ruleVersion: decision.rule_version,
        basis: decision.basis,
        competentRegion: decision.competent_region,
        assignments: decision.assignments,
        crossDistrict: decision.cross_district,
        timeLimitDays: decision.time_limit_days,
        slaDueAt: decision.sla_due_at,
        unroutableReason: decision.unroutable_reason,
        detail: decision.detail,
        explanation: decision.explanation,
        decidedBy: decision.decided_by,
        decidedAt: decision.decided_at,
      })),
    };
  }

  private manual(
    request: RouteRequest,
    primary: string,
    parallel: readonly string[],
    timeLimitDays?: number,
  ) {
    const result = manualRoute(request, { primary, parallel }, this.reference, timeLimitDays);
    if (!result.ok) throw invalidRequest([{ field: result.field, reason: result.reason }]);
    return result.decision;
  }

  private async act(
    actor: Actor,
    caseId: string,
    origin: Exclude<DecisionOrigin, 'rules'>,
    decide: (
      manager: EntityManager,
      row: RoutingCaseRow,
      request: RouteRequest,
    ) => Promise<{
      decision: Extract<RouteDecision, { outcome: 'routed' }>;
      supersedes: string;
      reason: string;
    }>,
  ) {
    return this.store.transaction(async (unit: TransactionUnit) => {
      const { manager } = unit;
      const row = await this.store.lockCase(manager, caseId);
      if (!row) throw new NotFoundException(`no routed case ${caseId}`);
      const { decision, supersedes, reason } = await decide(
        manager,
        row,
        routeRequestOf(row.snapshot, row.accepted_at),
      );
      const decidedAt = this.clock.now();
      const recorded = routingRecord({
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
      await this.store.addDecision(manager, recorded.row);
      await this.store.setCurrentRouting(manager, caseId, recorded.routingId);
      if (origin === 'triage') {
        await this.store.resolveTriage(manager, caseId, {
          at: decidedAt,
          by: eventActor(actor),
          routingId: recorded.routingId,
        });
      }
      await unit.publish(recorded.event);
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
      unit.afterCommit(() => this.metrics.countRouted(decision, origin));
      return {
        caseId,
        routingId: recorded.routingId,
        basis: decision.basis,
        assignments: decision.assignments,
        crossDistrict: decision.crossDistrict,
        slaDueAt: decision.slaDueAt.toISOString(),
        explanation: decision.explanation,
      };
    });
  }
}
