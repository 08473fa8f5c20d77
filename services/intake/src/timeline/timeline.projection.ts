import type { CaseState, DeliveryState, TongbanEvent } from '@tongban/contracts';

/** One line of "where is my case", as the timeline table stores it. */
export interface TimelineEntry {
  readonly stage: string;
  readonly officeId?: string;
  readonly departmentId?: string;
  readonly actorRole?: string;
  readonly detail: Record<string, unknown>;
}

export interface Projection {
  readonly entry: TimelineEntry;
  /** The case's new status, when the event changes it. */
  readonly status?: CaseState;
  /** The statutory deadline as of the event, when it tells it: approval owns it, routing sets the first. */
  readonly sla?: { readonly dueAt: string; readonly paused: boolean };
}

const DELIVERY_STATUS: Readonly<Record<DeliveryState, CaseState>> = {
  created: 'in_delivery',
  ready_for_dispatch: 'in_delivery',
  picked_up: 'in_delivery',
  out_for_delivery: 'in_delivery',
  delivery_failed: 'in_delivery',
  rescheduled: 'in_delivery',
  posted: 'in_delivery',
  ready_for_pickup: 'ready_for_pickup',
  returned_to_window: 'ready_for_pickup',
  delivered: 'delivered',
  collected: 'collected',
};

/**
 * What an event means for the applicant's view of a case. Pure, so every rule is unit-tested;
 * details hold ids, states and masked values only, never personal data in clear.
 */
export function project(event: TongbanEvent): Projection {
  switch (event.type) {
    case 'case.submitted': {
      const p = event.payload;
      return {
        status: 'submitted',
        entry: {
          stage: 'submitted',
          officeId: p.acceptingOfficeId,
          actorRole: p.submittedBy.role,
          detail: {
            receiptNumber: p.receiptNumber,
            itemCode: p.itemCode,
            missingMaterials: p.missingMaterials,
            supplementDueAt: p.supplementDueAt,
            assistance: p.assistance.mode,
          },
        },
      };
    }
    case 'case.routed': {
      const p = event.payload;
      const primary = p.assignments.find((assignment) => assignment.role === 'primary');
      return {
        status: 'routed',
        sla: { dueAt: p.slaDueAt, paused: false },
        entry: {
          stage: p.supersedesRoutingId ? 're_routed' : 'routed',
          departmentId: primary?.departmentId,
          actorRole: p.routedBy.role,
          detail: {
            assignments: p.assignments,
            crossDistrict: p.crossDistrict,
            slaDueAt: p.slaDueAt,
            timeLimitDays: p.timeLimitDays,
            reason: p.reason,
          },
        },
      };
    }
    case 'case.unroutable':
      return {
        status: 'unroutable',
        entry: { stage: 'unroutable', actorRole: 'system', detail: { reason: event.payload.reason } },
      };
    case 'case.supplement-requested': {
      const p = event.payload;
      return {
        status: 'supplement_requested',
        entry: {
          stage: 'supplement_requested',
          departmentId: p.departmentId,
          actorRole: p.requestedBy.role,
          detail: { round: p.round, items: p.items, dueAt: p.dueAt, requestId: p.requestId },
        },
      };
    }
    case 'case.supplemented': {
      const p = event.payload;
      return {
        // Back with the department that asked.
        status: 'routed',
        entry: {
          stage: 'supplemented',
          departmentId: p.departmentId,
          officeId: p.supplementedBy.officeId,
          actorRole: p.supplementedBy.role,
          detail: { round: p.round, materials: p.materials.map((material) => material.code) },
        },
      };
    }
    case 'case.decided': {
      const p = event.payload;
      // N证联办: each department's document (one per department), the primary's alone before.
      const documents = p.resultDocuments ?? (p.resultDocument ? [p.resultDocument] : []);
      return {
        status: p.outcome,
        entry: {
          stage: p.outcome,
          departmentId: p.departmentDecisions[0]?.departmentId,
          actorRole: p.origin === 'reviewer' ? 'reviewer' : 'system',
          detail: {
            origin: p.origin,
            resultDocument: p.resultDocument?.number,
            rejection: p.rejection?.reasonCode,
            departments: p.departmentDecisions.map((d) => ({
              departmentId: d.departmentId,
              outcome: d.outcome,
              documentNumber: documents.find((doc) => doc.departmentId === d.departmentId)?.number ?? null,
            })),
          },
        },
      };
    }
    case 'case.sla':
      return {
        sla: { dueAt: event.payload.dueAt, paused: event.payload.kind === 'paused' },
        entry: {
          stage: `sla_${event.payload.kind}`,
          departmentId: event.payload.departmentId,
          actorRole: 'system',
          detail: { dueAt: event.payload.dueAt, usedShare: event.payload.usedShare },
        },
      };
    case 'delivery.updated': {
      const p = event.payload;
      // v2 publishes a reissued pickup code as an update whose state did not change.
      const reissued =
        event.version === 2 && event.payload.pickupCode !== undefined && p.previousState === p.state;
      return {
        status: DELIVERY_STATUS[p.state],
        entry: {
          stage: reissued ? 'delivery_code_reissued' : `delivery_${p.state}`,
          officeId: p.officeId,
          actorRole: p.actor.role,
          detail: {
            trackingNumber: p.trackingNumber,
            method: p.method,
            state: p.state,
            failureReason: p.failureReason,
            attempt: p.attempt,
            nextAttemptAt: p.nextAttemptAt,
          },
        },
      };
    }
    case 'case.rongque': {
      const p = event.payload;
      return {
        entry: {
          stage: `rongque_${p.kind}`,
          officeId: p.officeId,
          actorRole: p.by?.role ?? 'system',
          detail: { materials: p.materials, outstanding: p.outstanding, dueAt: p.dueAt },
        },
      };
    }
    case 'case.rated':
      return {
        entry: {
          stage: 'rated',
          officeId: event.payload.officeId,
          actorRole: 'applicant',
          detail: { score: event.payload.score, channel: event.payload.channel },
        },
      };
    // The supervision service closed a 差评's rectification: the applicant sees how it ended.
    case 'case.rating-feedback':
      return {
        entry: {
          stage: 'rating_feedback',
          officeId: event.payload.officeId,
          departmentId: event.payload.departmentId,
          actorRole: 'system',
          detail: { stage: event.payload.stage, outcome: event.payload.outcome },
        },
      };
  }
}
