import { maskedApplicant } from '@tongban/contracts';
import type { CaseRow } from './case-store';

export type { CaseRow } from './case-store';

/** Offices that may see a case: the one that accepted it and the one chosen for pickup (通取). */
export function officesOf(row: Pick<CaseRow, 'office_id' | 'snapshot'>): string[] {
  const delivery = row.snapshot.delivery;
  return delivery.method === 'pickup' ? [row.office_id, delivery.officeId] : [row.office_id];
}

/** What staff see of a case: masked identifiers only, never ciphertext or lookup hashes. */
export function caseView(row: CaseRow) {
  const applicant = row.snapshot.applicant;
  return {
    caseId: row.id,
    receiptNumber: row.receipt_number,
    itemCode: row.item_code,
    officeId: row.office_id,
    officeDistrict: row.office_district,
    status: row.status,
    statusAt: row.status_at.toISOString(),
    submittedAt: row.submitted_at.toISOString(),
    submittedBy: row.submitted_by,
    supplementDueAt: row.supplement_due_at?.toISOString() ?? null,
    slaDueAt: row.sla_due_at?.toISOString() ?? null,
    applicant: maskedApplicant(applicant),
    materials: row.snapshot.materials,
    missingMaterials: row.snapshot.missingMaterials,
    delivery: row.snapshot.delivery,
  };
}

export type CaseView = ReturnType<typeof caseView>;
