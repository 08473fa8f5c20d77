import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type AnyCaseSnapshot,
  type Actor as EventActor,
  type EventOf,
  parseCaseSnapshot,
} from '@tongban/contracts';
import type { HandlerUnit } from '@tongban/messaging';
import { referenceData } from '@tongban/reference-data';
import { RuleCache } from '../rules/rule-cache.service';
import { decideRoute, type RouteDecision, type RouteRequest } from './route-decision';
import { recordDecision } from './routing-record';

export const ROUTING_SYSTEM_ACTOR: EventActor = { sub: 'system:routing', role: 'system' };

/** The routing inputs of a case snapshot: codes and districts only. */
export function routeRequestOf(
  snapshot: Pick<AnyCaseSnapshot, 'itemCode' | 'acceptingOfficeId' | 'applicant'>,
  acceptedAt: Date,
): RouteRequest {
  const { applicant } = snapshot;
  return {
    itemCode: snapshot.itemCode,
    officeId: snapshot.acceptingOfficeId,
    applicant:
      applicant.kind === 'person'
        ? { kind: 'person', householdDistrict: applicant.householdDistrict }
        : { kind: 'company', registeredDistrict: applicant.registeredDistrict },
    acceptedAt,
  };
}

/** Routes each submitted case once, inside the consumer's transaction. */
@Injectable()
export class CaseRouter {
  constructor(private readonly rules: RuleCache) {}

  /** Returns the decision made, or undefined when the case was routed before (another event id). */
  async routeSubmitted(
    event: EventOf<'case.submitted'>,
    unit: HandlerUnit,
  ): Promise<RouteDecision | undefined> {
    const snapshot = parseCaseSnapshot(event.payload);
    const acceptedAt = new Date(event.occurredAt);
    const rules = await this.rules.rulesFor(unit.manager);
    const decidedAt = new Date();
    const decision = decideRoute(routeRequestOf(snapshot, acceptedAt), rules, referenceData(), decidedAt);

    const routingId = randomUUID();
    const claimed = (await unit.manager.query(
      `INSERT INTO routing_cases (case_id, item_code, office_id, accepted_at, snapshot, status, current_routing_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (case_id) DO NOTHING
       RETURNING case_id`,
      [
        event.caseId,
        snapshot.itemCode,
        snapshot.acceptingOfficeId,
        acceptedAt,
        JSON.stringify(snapshot),
        decision.outcome === 'routed' ? 'routed' : 'triage',
        routingId,
      ],
    )) as unknown[];
    if (claimed.length === 0) return undefined;

    const recorded = await recordDecision(unit.manager, {
      routingId,
      caseId: event.caseId,
      snapshot,
      decision,
      origin: 'rules',
      decidedBy: ROUTING_SYSTEM_ACTOR,
      decidedAt,
    });
    if (decision.outcome === 'unroutable') {
      await unit.manager.query(
        `INSERT INTO routing_triage (case_id, item_code, office_id, reason, detail, unroutable_routing_id, queued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          event.caseId,
          snapshot.itemCode,
          snapshot.acceptingOfficeId,
          decision.reason,
          decision.detail,
          recorded.routingId,
          decidedAt,
        ],
      );
    }
    await unit.publish(recorded.event);
    return decision;
  }

  /** A decided case can no longer be re-routed. */
  async markDecided(event: EventOf<'case.decided'>, unit: HandlerUnit): Promise<void> {
    await unit.manager.query(
      `UPDATE routing_cases SET decided_at = $2, updated_at = now() WHERE case_id = $1 AND decided_at IS NULL`,
      [event.caseId, new Date(event.occurredAt)],
    );
  }
}
