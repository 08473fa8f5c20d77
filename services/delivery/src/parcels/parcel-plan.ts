import type { Address, DeliveryMethod, EventOf } from '@tongban/contracts';
import type { ParcelDocument } from './delivery-tables';
import { clearAddress, type Unseal } from './recipient';

export type ParcelKind = 'result' | 'rejection_notice';

export interface OfficeLookup {
  office(id: string): { readonly id: string; readonly pickupWindow: boolean } | undefined;
}

/** What a `case.decided` event asks of delivery: one parcel, or none. */
export interface ParcelPlan {
  readonly kind: ParcelKind;
  readonly method: DeliveryMethod;
  /** Pickup window (pickup) or dispatch desk (courier, post). */
  readonly officeId: string;
  /** The department holding the result until the office receives it. */
  readonly departmentId: string;
  readonly documentNumber: string | null;
  /** Every department's document (N证联办), primary first; empty for a rejection notice. */
  readonly documents: readonly ParcelDocument[];
  readonly address: Address | null;
  /** Why the office differs from the applicant's choice, when it does. */
  readonly note: string | null;
}

/**
 * The office that dispatches a door or postal delivery and takes back what cannot be delivered:
 * the accepting office when it has a window (通取), else the street hall it belongs to (a street's
 * code is the first nine digits of its communities' codes).
 */
export function dispatchOffice(acceptingOfficeId: string, offices: OfficeLookup): string {
  if (offices.office(acceptingOfficeId)?.pickupWindow) return acceptingOfficeId;
  const street = offices.office(acceptingOfficeId.slice(0, 9));
  return street?.pickupWindow ? street.id : acceptingOfficeId;
}

/**
 * An approval always sends its result; a rejection sends a paper notice only when the applicant
 * asked for one. The parcel follows the delivery choice made at submission; a pickup office
 * that no longer has a window falls back to the dispatch office (and says so).
 */
export function planParcel(
  event: EventOf<'case.decided'>,
  offices: OfficeLookup,
  unseal: Unseal,
): ParcelPlan | null {
  const decision = event.payload;
  if (decision.outcome === 'rejected' && !decision.paperNoticeRequested) return null;
  const snapshot = decision.case;
  const departmentId =
    decision.resultDocument?.departmentId ?? decision.departmentDecisions[0]?.departmentId ?? 'unknown';
  const base = {
    kind: decision.outcome === 'approved' ? ('result' as const) : ('rejection_notice' as const),
    departmentId,
    documentNumber: decision.resultDocument?.number ?? null,
    documents: (decision.resultDocuments ?? (decision.resultDocument ? [decision.resultDocument] : [])).map(
      (d) => ({ number: d.number, title: d.title, departmentId: d.departmentId }),
    ),
  };
  const fallback = dispatchOffice(snapshot.acceptingOfficeId, offices);
  const choice = snapshot.delivery;
  if (choice.method === 'pickup') {
    const chosen = offices.office(choice.officeId);
    if (chosen?.pickupWindow)
      return { ...base, method: 'pickup', officeId: chosen.id, address: null, note: null };
    return {
      ...base,
      method: 'pickup',
      officeId: fallback,
      address: null,
      note: `office ${choice.officeId} has no pickup window; the parcel waits at ${fallback}`,
    };
  }
  return {
    ...base,
    method: choice.method,
    officeId: fallback,
    address: clearAddress(choice.address, unseal),
    note: null,
  };
}
