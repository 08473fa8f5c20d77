import type { Address, DeliveryFailureReason, DeliveryMethod, DeliveryState } from '@tongban/contracts';
import { column, type RowOf, table } from '@tongban/database';
import type { ParcelKind } from './parcel-plan';

/**
 * 帮办代办: the agent who may collect the result, as the window sees them, and the lookup hash
 * of the agent's ID number the window checks (null before intake kept it).
 */
/** A result document the parcel carries (N证联办: one per department); title null before it was kept. */
export interface ParcelDocument {
  readonly number: string;
  readonly title: string | null;
  readonly departmentId: string;
}

export interface ParcelAgent {
  readonly name: string;
  readonly relation: string;
  readonly idNumberMasked: string | null;
  readonly idNumberHash: string | null;
  readonly phoneMasked: string | null;
}
import type { Custodian } from './parcel-state-machine';

/**
 * Delivery's tables as its migrations create them: the one declaration the queries' row types
 * come from, checked against a migrated database by delivery-tables.int-spec.ts.
 */
export const parcels = table('parcels', {
  id: column.uuid(),
  case_id: column.uuid(),
  tracking_number: column.text(),
  kind: column.text<ParcelKind>(),
  receipt_number: column.text(),
  item_code: column.text(),
  document_number: column.text().orNull(),
  department_id: column.text(),
  accepting_office_id: column.text(),
  requested_method: column.text<DeliveryMethod>(),
  method: column.text<DeliveryMethod>(),
  state: column.text<DeliveryState>(),
  office_id: column.text(),
  courier_id: column.text().orNull(),
  custodian: column.text<Custodian>(),
  address: column.jsonb<Address>().orNull(),
  recipient_name: column.text(),
  phone_ciphertext: column.text(),
  phone_masked: column.text(),
  id_number_masked: column.text().orNull(),
  attempts: column.integer(),
  failure_reason: column.text<DeliveryFailureReason>().orNull(),
  next_attempt_at: column.timestamptz().orNull(),
  postal_tracking_number: column.text().orNull(),
  code_hash: column.text().orNull(),
  code_expires_at: column.timestamptz().orNull(),
  proof_failures: column.integer(),
  code_issues: column.integer(),
  proof: column.jsonb<Record<string, unknown>>().orNull(),
  decided_at: column.timestamptz(),
  created_at: column.timestamptz(),
  state_at: column.timestamptz(),
  at_window_since: column.timestamptz().orNull(),
  completed_at: column.timestamptz().orNull(),
  agent: column.jsonb<ParcelAgent>().orNull(),
  documents: column.jsonb<ParcelDocument[]>(),
});
export type ParcelRow = RowOf<typeof parcels>;

export const rongqueOutstanding = table('rongque_outstanding', {
  case_id: column.uuid(),
  outstanding: column.textArray(),
  as_of: column.timestamptz(),
});

export const parcelHistory = table('parcel_history', {
  id: column.bigint(),
  parcel_id: column.uuid(),
  action: column.text(),
  from_state: column.text<DeliveryState>().orNull(),
  to_state: column.text<DeliveryState>(),
  method: column.text<DeliveryMethod>(),
  failure_reason: column.text<DeliveryFailureReason>().orNull(),
  attempt: column.integer(),
  next_attempt_at: column.timestamptz().orNull(),
  actor_sub: column.text(),
  actor_role: column.text(),
  occurred_at: column.timestamptz(),
});
export type ParcelHistoryRow = RowOf<typeof parcelHistory>;

export const courierReceipts = table('courier_receipts', {
  id: column.uuid(),
  receipt_number: column.text(),
  courier_id: column.text(),
  office_id: column.text(),
  signature_ref: column.text(),
  signed_by: column.text(),
  signed_at: column.timestamptz(),
});
export type CourierReceiptRow = RowOf<typeof courierReceipts>;

export const courierReceiptParcels = table('courier_receipt_parcels', {
  receipt_id: column.uuid(),
  parcel_id: column.uuid(),
  tracking_number: column.text(),
});
export type CourierReceiptParcelRow = RowOf<typeof courierReceiptParcels>;

export const custodyHandoffs = table('custody_handoffs', {
  id: column.bigint(),
  parcel_id: column.uuid(),
  from_party: column.text<Custodian>(),
  to_party: column.text<Custodian>(),
  actor_sub: column.text(),
  actor_role: column.text(),
  place: column.text(),
  receipt_id: column.uuid().orNull(),
  occurred_at: column.timestamptz(),
});
export type CustodyHandoffRow = RowOf<typeof custodyHandoffs>;

export const DELIVERY_TABLES = [
  parcels,
  parcelHistory,
  courierReceipts,
  courierReceiptParcels,
  custodyHandoffs,
];
