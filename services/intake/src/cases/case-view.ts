import { maskedApplicant, maskedAssistance } from '@tongban/contracts';
import type { CaseRow, OpenSupplementRequest } from './case-store';
import type { DepartmentProgress } from './department-progress';

export type { CaseRow } from './case-store';

/** Offices that may see a case: the one that accepted it and the one chosen for pickup (通取). */
export function officesOf(row: Pick<CaseRow, 'office_id' | 'snapshot'>): string[] {
  const delivery = row.snapshot.delivery;
  return delivery.method === 'pickup' ? [row.office_id, delivery.officeId] : [row.office_id];
}

/**
 * What staff see of a case: masked identifiers only, never ciphertext or lookup hashes. With the
 * open 一次性告知 request, when the caller loaded it (the single-case view), what the window must
 * hand in and by when.
 */
export function caseView(
  row: CaseRow,
  openRequest?: OpenSupplementRequest | null,
  departments?: readonly DepartmentProgress[],
) {
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
    rongqueExpiredAt: row.rongque_expired_at?.toISOString() ?? null,
    slaDueAt: row.sla_due_at?.toISOString() ?? null,
    // 承诺时限: the office's target, moved with the legal deadline through supplement pauses.
    promisedDueAt: row.promised_due_at?.toISOString() ?? null,
    applicant: maskedApplicant(applicant),
    materials: row.snapshot.materials,
    missingMaterials: row.snapshot.missingMaterials,
    delivery: row.snapshot.delivery,
    // 帮办代办: who brought the case; the agent by masks, never a sealed value or a hash.
    assistance: row.assistance && maskedAssistance(row.assistance),
    // N证联办: each assigned department pending, approved (with its document) or rejected.
    ...(departments === undefined ? {} : { departments }),
    ...(openRequest === undefined
      ? {}
      : { supplementRequest: openRequest && supplementRequestView(openRequest) }),
  };
}

function supplementRequestView(request: OpenSupplementRequest) {
  return {
    requestId: request.request_id,
    departmentId: request.department_id,
    round: request.round,
    requestedAt: request.requested_at.toISOString(),
    dueAt: request.due_at?.toISOString() ?? null,
    materials: request.items.map((item) => ({
      code: item.materialCode,
      name: item.materialName,
      reason: item.reason,
    })),
  };
}

export type CaseView = ReturnType<typeof caseView>;
