import { randomUUID } from 'node:crypto';
import {
  type AnyCaseSnapshot,
  type CaseSnapshotV2,
  type Actor as EventActor,
  createEvent,
  type EventOf,
  snapshotVersion,
} from '@tongban/contracts';
import type { RouteDecision } from './route-decision';
import type { DecisionOrigin, RoutingDecisionRow } from './routing-tables';

export type { DecisionOrigin } from './routing-tables';

export interface RoutingRecord {
  readonly routingId: string;
  /** The decision with its explanation, for the store. */
  readonly row: RoutingDecisionRow;
  readonly event: EventOf<'case.routed'> | EventOf<'case.unroutable'>;
}

/**
 * A decision as it is stored, with its explanation, and the event that announces it: the caller
 * stores and publishes both in the same transaction.
 */
export function routingRecord(input: {
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
}): RoutingRecord {
  const { decision } = input;
  const routingId = input.routingId ?? randomUUID();
  const routed = decision.outcome === 'routed' ? decision : undefined;
  const row: RoutingDecisionRow = {
    routing_id: routingId,
    case_id: input.caseId,
    outcome: decision.outcome,
    origin: input.origin,
    supersedes_routing_id: input.supersedesRoutingId ?? null,
    rule_id: decision.rule?.ruleId ?? null,
    rule_version: decision.rule?.version ?? null,
    basis: routed?.basis ?? null,
    competent_region: routed?.competentRegion ?? null,
    assignments: routed?.assignments ?? null,
    cross_district: routed?.crossDistrict ?? null,
    time_limit_days: routed?.timeLimitDays ?? null,
    sla_due_at: routed?.slaDueAt ?? null,
    unroutable_reason: decision.outcome === 'unroutable' ? decision.reason : null,
    detail: decision.outcome === 'unroutable' ? decision.detail : (input.reason ?? null),
    explanation: decision.explanation,
    decided_by: input.decidedBy,
    decided_at: input.decidedAt,
  };
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
  return { routingId, row, event };
}
