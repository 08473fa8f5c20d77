import { type AnyCaseSnapshot, maskedApplicant, maskedAssistance } from '@tongban/contracts';
import { type PromiseClock, promisedDueAt, type ReferenceData } from '@tongban/reference-data';
import type { SupplementRequest } from '../domain/approval-case';
import { isActive } from '../domain/parallel-join';
import type { QueueEntry } from '../store/approval-store';

function promisedLimit(entry: QueueEntry, promisedDays: number, calendar: PromiseClock): Date | null {
  const firstDueAt = calendar.addWorkingSeconds(entry.clockStartedAt, entry.budgetSeconds);
  return promisedDueAt(entry.item.receiptNumber, promisedDays, { firstDueAt, dueAt: entry.dueAt }, calendar);
}

/** What a reviewer sees of a work item in the queue: no personal data beyond the masks. */
export function workItemView(entry: QueueEntry, now: Date, reference: ReferenceData) {
  const { item } = entry;
  const active = isActive(item.state);
  const running = active && entry.pausedAt === null;
  const decided = item.state === 'approved' || item.state === 'rejected';
  const promisedDays = reference.item(item.itemCode)?.timeLimits.promisedDays;
  const promised =
    promisedDays === undefined || !reference.department(entry.clockDepartmentId)
      ? null
      : promisedLimit(entry, promisedDays, reference.calendarForDepartment(entry.clockDepartmentId));
  return {
    id: item.id,
    caseId: item.caseId,
    receiptNumber: item.receiptNumber,
    itemCode: item.itemCode,
    itemName: reference.item(item.itemCode)?.name ?? null,
    departmentId: item.departmentId,
    districtCode: item.districtCode,
    role: item.role,
    state: item.state,
    claimedBy: item.claimedBy,
    claimedAt: item.claimedAt?.toISOString() ?? null,
    dueAt: entry.dueAt.toISOString(),
    // 承诺时限: the office's published promise, clocked with the legal limit (promisedDueAt).
    promisedDueAt: promised?.toISOString() ?? null,
    clock: {
      paused: active && entry.pausedAt !== null,
      dueSoon: running && entry.warnAt !== null && entry.warnAt <= now && entry.dueAt > now,
      overdue: running && entry.dueAt <= now,
      promiseBroken: running && promised !== null && promised <= now,
    },
    escalatedAt: item.escalatedAt?.toISOString() ?? null,
    supplementRound: entry.supplementRound,
    decision: decided
      ? {
          outcome: item.state,
          origin: item.origin,
          decidedBy: item.decidedBy,
          decidedAt: item.decidedAt?.toISOString() ?? null,
          reasonCode: item.reasonCode,
          reasonText: item.reasonText,
          document: item.document,
        }
      : null,
    withdrawnReason: item.withdrawnReason,
    autoChecks: item.autoChecks,
    version: item.version,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
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
    // 帮办代办: the agent who brought the case, by masks (a v1 snapshot does not carry it).
    assistance: maskedAssistance('assistance' in snapshot ? snapshot.assistance : undefined),
    materials: snapshot.materials,
    missingMaterials: snapshot.missingMaterials,
    supplementDueAt: snapshot.supplementDueAt ?? null,
    delivery: snapshot.delivery.method,
  };
}

export function supplementRequestView(request: SupplementRequest) {
  return {
    requestId: request.requestId,
    departmentId: request.departmentId,
    round: request.round,
    items: request.items,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt.toISOString(),
    dueAt: request.dueAt?.toISOString() ?? null,
    answeredAt: request.answeredAt?.toISOString() ?? null,
    answeredMaterials: request.answeredMaterials,
    withdrawnAt: request.withdrawnAt?.toISOString() ?? null,
  };
}
