import type { Address, DeliveryFailureReason, DeliveryMethod, DeliveryState } from '@tongban/contracts';
import type { EntityManager } from 'typeorm';
import type { ParcelKind } from './parcel-plan';
import type { Custodian, ParcelFacts } from './parcel-state-machine';

/** A row of `parcels`, as the services read it. */
export interface ParcelRow {
  id: string;
  case_id: string;
  tracking_number: string;
  kind: ParcelKind;
  receipt_number: string;
  item_code: string;
  document_number: string | null;
  department_id: string;
  accepting_office_id: string;
  requested_method: DeliveryMethod;
  method: DeliveryMethod;
  state: DeliveryState;
  office_id: string;
  courier_id: string | null;
  custodian: Custodian;
  address: Address | null;
  recipient_name: string;
  phone_ciphertext: string;
  phone_masked: string;
  id_number_masked: string | null;
  attempts: number;
  failure_reason: DeliveryFailureReason | null;
  next_attempt_at: Date | null;
  postal_tracking_number: string | null;
  code_hash: string | null;
  code_expires_at: Date | null;
  proof_failures: number;
  code_issues: number;
  proof: Record<string, unknown> | null;
  decided_at: Date;
  created_at: Date;
  state_at: Date;
  at_window_since: Date | null;
  completed_at: Date | null;
}

export const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

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

/** Loads a parcel locked for the caller's transaction, so its changes (and events) are serialised. */
export async function lockParcel(manager: EntityManager, id: string): Promise<ParcelRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = (await manager.query(`SELECT * FROM parcels WHERE id = $1 FOR UPDATE`, [id])) as ParcelRow[];
  return row;
}

export async function findParcel(manager: EntityManager, id: string): Promise<ParcelRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = (await manager.query(`SELECT * FROM parcels WHERE id = $1`, [id])) as ParcelRow[];
  return row;
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
