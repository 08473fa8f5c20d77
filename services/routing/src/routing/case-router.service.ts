import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type AnyCaseSnapshot,
  type Actor as EventActor,
  type EventOf,
  parseCaseSnapshot,
} from '@tongban/contracts';
import type { HandlerUnit } from '@tongban/messaging';
import { ReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { RuleCache } from '../rules/rule-cache.service';
import { decideRoute, type RouteDecision, type RouteRequest } from './route-decision';
import { routingRecord } from './routing-record';
import { RoutingStore } from './routing-store';

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
  constructor(
    private readonly rules: RuleCache,
    private readonly store: RoutingStore,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
  ) {}

  /** Returns the decision made, or undefined when the case was routed before (another event id). */
  async routeSubmitted(
    event: EventOf<'case.submitted'>,
    unit: HandlerUnit,
  ): Promise<RouteDecision | undefined> {
    const snapshot = parseCaseSnapshot(event.payload);
    const acceptedAt = new Date(event.occurredAt);
    const rules = await this.rules.rulesFor(unit.manager);
    const decidedAt = this.clock.now();
    const decision = decideRoute(routeRequestOf(snapshot, acceptedAt), rules, this.reference, decidedAt);

    const routingId = randomUUID();
    const claimed = await this.store.claimCase(unit.manager, {
      case_id: event.caseId,
      item_code: snapshot.itemCode,
      office_id: snapshot.acceptingOfficeId,
      accepted_at: acceptedAt,
      snapshot,
      status: decision.outcome === 'routed' ? 'routed' : 'triage',
      current_routing_id: routingId,
    });
    if (!claimed) return undefined;

    const recorded = routingRecord({
      routingId,
      caseId: event.caseId,
      snapshot,
      decision,
      origin: 'rules',
      decidedBy: ROUTING_SYSTEM_ACTOR,
      decidedAt,
    });
    await this.store.addDecision(unit.manager, recorded.row);
    if (decision.outcome === 'unroutable') {
      await this.store.queueTriage(unit.manager, {
        case_id: event.caseId,
        item_code: snapshot.itemCode,
        office_id: snapshot.acceptingOfficeId,
        reason: decision.reason,
        detail: decision.detail,
        unroutable_routing_id: recorded.routingId,
        queued_at: decidedAt,
      });
    }
    await unit.publish(recorded.event);
    return decision;
  }

  /** A decided case can no longer be re-routed. */
  async markDecided(event: EventOf<'case.decided'>, unit: HandlerUnit): Promise<void> {
    await this.store.markDecided(unit.manager, event.caseId, new Date(event.occurredAt));
  }
}
