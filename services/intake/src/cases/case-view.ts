import { type CaseSnapshot, type CaseState, maskedApplicant } from '@tongban/contracts';

export interface CaseRow {
  id: string;
  receipt_number: string;
  item_code: string;
  office_id: string;
  office_district: string;
  applicant_kind: 'person' | 'company';
  applicant_name: string;
  id_number_masked: string | null;
  phone_masked: string;
  snapshot: CaseSnapshot;
  status: CaseState;
  status_at: Date;
  supplement_due_at: Date | null;
  sla_due_at: Date | null;
  submitted_by: string;
  submitted_at: Date;
}

export const CASE_COLUMNS = `id, receipt_number, item_code, office_id, office_district, applicant_kind, applicant_name,
  id_number_masked, phone_masked, snapshot, status, status_at, supplement_due_at, sla_due_at, submitted_by, submitted_at`;

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
