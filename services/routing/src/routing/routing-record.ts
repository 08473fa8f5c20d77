import { randomUUID } from 'node:crypto';
import {
  type AnyCaseSnapshot,
  type CaseSnapshotV2,
  type Actor as EventActor,
  createEvent,
  type EventOf,
  snapshotVersion,
} from '@tongban/contracts';
import type { EntityManager } from 'typeorm';
import type { RouteDecision } from './route-decision';

export type DecisionOrigin = 'rules' | 'triage' | 'reroute';

export interface RecordedRouting {
  readonly routingId: string;
  readonly event: EventOf<'case.routed'> | EventOf<'case.unroutable'>;
}

/**
 * Stores a decision with its explanation and builds the event that announces it, for the
 * caller to publish in the same transaction.
 */
export async function recordDecision(
  manager: EntityManager,
  input: {
    /** Chosen by the caller when it must reference the decision before it is stored. */
    readonly routingId?: string;
    readonly caseId: string;
    readonly snapshot: AnyCaseSnapshot;
    readonly decision: RouteDecision;
    readonly origin: DecisionOrigin;
    readonly decidedBy: EventActor;
    readonly decidedAt: Date;
    readonly supersedesRoutingId?: string;
    readonly reason?: string;
  },
): Promise<RecordedRouting> {
  const { decision } = input;
  const routingId = input.routingId ?? randomUUID();
  const routed = decision.outcome === 'routed' ? decision : undefined;
  await manager.query(
    `INSERT INTO routing_decisions
       (routing_id, case_id, outcome, origin, supersedes_routing_id, rule_id, rule_version, basis,
        competent_region, assignments, cross_district, time_limit_days, sla_due_at, unroutable_reason,
        detail, explanation, decided_by, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      routingId,
      input.caseId,
      decision.outcome,
      input.origin,
      input.supersedesRoutingId ?? null,
      decision.rule?.ruleId ?? null,
      decision.rule?.version ?? null,
      routed?.basis ?? null,
      routed?.competentRegion ?? null,
      routed ? JSON.stringify(routed.assignments) : null,
      routed?.crossDistrict ?? null,
      routed?.timeLimitDays ?? null,
      routed?.slaDueAt ?? null,
      decision.outcome === 'unroutable' ? decision.reason : null,
      decision.outcome === 'unroutable' ? decision.detail : (input.reason ?? null),
      JSON.stringify(decision.explanation),
      JSON.stringify(input.decidedBy),
      input.decidedAt,
    ],
  );
  const common = { caseId: input.caseId, producer: 'routing', occurredAt: input.decidedAt } as const;
  const event =
    decision.outcome === 'routed'
      ? createEvent({
          ...common,
          type: 'case.routed',
          version: snapshotVersion(input.snapshot),
          payload: {
            routingId,
            ...(input.supersedesRoutingId ? { supersedesRoutingId: input.supersedesRoutingId } : {}),
            // Either version: createEvent checks it against the version named above.
            case: input.snapshot as CaseSnapshotV2,
            assignments: [...decision.assignments],
            crossDistrict: decision.crossDistrict,
            basis: decision.basis,
            ...(decision.rule ? { rule: decision.rule } : {}),
            timeLimitDays: decision.timeLimitDays,
            slaDueAt: decision.slaDueAt.toISOString(),
            ...(input.reason ? { reason: input.reason } : {}),
            routedBy: input.decidedBy,
          },
        })
      : createEvent({
          ...common,
          type: 'case.unroutable',
          payload: {
            itemCode: input.snapshot.itemCode,
            reason: decision.reason,
            detail: decision.detail,
            ...(decision.rule ? { rule: decision.rule } : {}),
          },
        });
  return { routingId, event };
}
