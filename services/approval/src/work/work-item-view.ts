import { type AnyCaseSnapshot, maskedApplicant } from '@tongban/contracts';
import { referenceData } from '@tongban/reference-data';
import type { WorkItemRow } from './work-rows';

/** A work item with the case columns the queue shows. */
export interface QueueRow extends WorkItemRow {
  due_at: Date;
  warn_at: Date | null;
  paused_at: Date | null;
  supplement_round: number;
  snapshot: AnyCaseSnapshot;
}

export const QUEUE_COLUMNS = `w.id, w.case_id, w.routing_id, w.department_id, w.district_code, w.role, w.item_code,
  w.receipt_number, w.state, w.claimed_by, w.claimed_at, w.escalated_at, w.origin, w.decided_by, w.decided_at,
  w.reason_code, w.reason_text, w.document, w.auto_checks, w.withdrawn_reason, w.version, w.created_at, w.updated_at,
  c.due_at, c.warn_at, c.paused_at, c.supplement_round, c.snapshot`;

/** What a reviewer sees of a work item in the queue: no personal data beyond the masks. */
export function workItemView(row: QueueRow, now: Date) {
  const active = row.state === 'open' || row.state === 'supplement_requested';
  const running = active && row.paused_at === null;
  const decided = row.state === 'approved' || row.state === 'rejected';
  return {
    id: row.id,
    caseId: row.case_id,
    receiptNumber: row.receipt_number,
    itemCode: row.item_code,
    itemName: referenceData().item(row.item_code)?.name ?? null,
    departmentId: row.department_id,
    districtCode: row.district_code,
    role: row.role,
    state: row.state,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at?.toISOString() ?? null,
    dueAt: row.due_at.toISOString(),
    clock: {
      paused: active && row.paused_at !== null,
      dueSoon: running && row.warn_at !== null && row.warn_at <= now && row.due_at > now,
      overdue: running && row.due_at <= now,
    },
    escalatedAt: row.escalated_at?.toISOString() ?? null,
    supplementRound: row.supplement_round,
    decision: decided
      ? {
          outcome: row.state,
          origin: row.origin,
          decidedBy: row.decided_by,
          decidedAt: row.decided_at?.toISOString() ?? null,
          reasonCode: row.reason_code,
          reasonText: row.reason_text,
          document: row.document,
        }
      : null,
    withdrawnReason: row.withdrawn_reason,
    autoChecks: row.auto_checks,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export type WorkItemView = ReturnType<typeof workItemView>;

/** The case as a reviewer needs it: masked identifiers only, never ciphertext or lookup hashes. */
export function caseDetailView(snapshot: AnyCaseSnapshot) {
  const applicant = snapshot.applicant;
  return {
    acceptingOfficeId: snapshot.acceptingOfficeId,
    acceptingDistrict: snapshot.acceptingDistrict,
    applicant: maskedApplicant(applicant),
    materials: snapshot.materials,
    missingMaterials: snapshot.missingMaterials,
    supplementDueAt: snapshot.supplementDueAt ?? null,
    delivery: snapshot.delivery.method,
  };
}
