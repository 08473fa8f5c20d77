import type { ParcelRow } from './delivery-tables';
import type { ParcelFacts } from './parcel-state-machine';

export type { ParcelRow } from './delivery-tables';

export function factsOf(row: ParcelRow): ParcelFacts {
  return {
    state: row.state,
    method: row.method,
    officeId: row.office_id,
    courierId: row.courier_id,
    attempts: row.attempts,
    custodian: row.custodian,
  };
}

/** What an office or the applicant may see: masked identifiers only, never the code. */
export function parcelView(row: ParcelRow) {
  return {
    parcelId: row.id,
    caseId: row.case_id,
    trackingNumber: row.tracking_number,
    kind: row.kind,
    receiptNumber: row.receipt_number,
    itemCode: row.item_code,
    documentNumber: row.document_number,
    // N证联办: every department's document in the parcel, for the hand-over to check off.
    documents: row.documents,
    method: row.method,
    requestedMethod: row.requested_method,
    state: row.state,
    officeId: row.office_id,
    courierId: row.courier_id,
    custodian: row.custodian,
    address: row.address,
    recipient: {
      name: row.recipient_name,
      phoneMasked: row.phone_masked,
      idNumberMasked: row.id_number_masked,
    },
    // 帮办代办: who may collect for the applicant, by masks (never the ID number's hash).
    agent: row.agent && {
      name: row.agent.name,
      relation: row.agent.relation,
      idNumberMasked: row.agent.idNumberMasked,
      phoneMasked: row.agent.phoneMasked,
    },
    attempts: row.attempts,
    failureReason: row.failure_reason,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    postalTrackingNumber: row.postal_tracking_number,
    pickupCodeExpiresAt: row.code_expires_at?.toISOString() ?? null,
    proofFailures: row.proof_failures,
    decidedAt: row.decided_at.toISOString(),
    stateAt: row.state_at.toISOString(),
    atWindowSince: row.at_window_since?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export type ParcelView = ReturnType<typeof parcelView>;
