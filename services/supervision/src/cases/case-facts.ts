import type { EventOf } from '@tongban/contracts';
import {
  dayNumber,
  type LocalDate,
  localDateOf,
  localDateOfDay,
  promisedDueAt,
  type WorkingDayCalendar,
} from '@tongban/reference-data';
import type { CaseFactRow } from '../database/supervision-tables';

/**
 * What one event tells about a case, as columns of `case_facts`. Topics are not ordered with each
 * other, so each event writes only what it knows; `keep` columns are written only while unknown
 * (the first value wins), the others overwrite.
 */
export interface FactPatch {
  readonly set: Partial<Omit<CaseFactRow, 'case_id' | 'updated_at'>>;
  readonly keep?: Partial<Omit<CaseFactRow, 'case_id' | 'updated_at'>>;
  /** Columns that only grow (rounds, a moved deadline). */
  readonly max?: Partial<Pick<CaseFactRow, 'supplement_rounds' | 'legal_due_at'>>;
}

type Snapshot = EventOf<'case.routed'>['payload']['case'];

function snapshotFacts(snapshot: Snapshot) {
  return {
    receipt_number: snapshot.receiptNumber,
    item_code: snapshot.itemCode,
    accepting_office_id: snapshot.acceptingOfficeId,
    accepting_district: snapshot.acceptingDistrict,
    phone_last4: lastFour(snapshot.applicant.phone.masked),
    rongque: snapshot.missingMaterials.length > 0,
  };
}

/** The last four digits of a masked phone (138****0000): the applicant's proof with the receipt. */
function lastFour(masked: string): string | null {
  return /(\d{4})$/.exec(masked)?.[1] ?? null;
}

export function submittedFacts(event: EventOf<'case.submitted'>): FactPatch {
  const { payload } = event;
  return {
    set: {
      ...snapshotFacts(payload),
      accepted_at: new Date(event.occurredAt),
      accepted_by: payload.submittedBy.sub,
    },
  };
}

export function routedFacts(event: EventOf<'case.routed'>): FactPatch {
  const { payload } = event;
  const primary = payload.assignments.find((assignment) => assignment.role === 'primary');
  const due = new Date(payload.slaDueAt);
  const routing = {
    department_id: primary?.departmentId ?? null,
    competent_district: primary?.districtCode ?? null,
    cross_district: payload.crossDistrict,
  };
  // A re-route restarts the legal clock with the new department's limit.
  if (payload.supersedesRoutingId)
    return {
      set: { ...routing, legal_first_due_at: due, legal_due_at: due },
      keep: snapshotFacts(payload.case),
    };
  return {
    set: routing,
    keep: { ...snapshotFacts(payload.case), legal_first_due_at: due },
    max: { legal_due_at: due },
  };
}

/** A resumed clock moved the legal deadline by the paused working time. */
export function slaFacts(event: EventOf<'case.sla'>): FactPatch | null {
  if (event.payload.kind !== 'resumed') return null;
  return { set: {}, max: { legal_due_at: new Date(event.payload.dueAt) } };
}

export function supplementRequestedFacts(event: EventOf<'case.supplement-requested'>): FactPatch {
  return { set: {}, max: { supplement_rounds: event.payload.round } };
}

/** 容缺 completed: the window handed in the last outstanding material. */
export function rongqueFacts(event: EventOf<'case.rongque'>): FactPatch | null {
  const { payload } = event;
  if (payload.kind !== 'handed_in' || payload.outstanding.length > 0) return null;
  return { set: {}, keep: { rongque: true, rongque_completed_at: new Date(event.occurredAt) } };
}

export function decidedFacts(event: EventOf<'case.decided'>): FactPatch {
  const { payload } = event;
  const primaryDepartment = payload.resultDocument?.departmentId;
  const decision =
    payload.departmentDecisions.find((d) => d.departmentId === primaryDepartment) ??
    payload.departmentDecisions[0];
  return {
    set: {
      decided_at: new Date(event.occurredAt),
      outcome: payload.outcome,
      decision_origin: decision?.origin ?? payload.origin,
      decided_by: decision?.decidedBy.sub ?? null,
      decision_department_id: decision?.departmentId ?? null,
    },
    keep: snapshotFacts(payload.case),
  };
}

/** The result reached the applicant: delivered at the door, or collected at a window. */
export function deliveryFacts(event: EventOf<'delivery.updated'>): FactPatch | null {
  const { payload } = event;
  if (payload.state !== 'delivered' && payload.state !== 'collected') return null;
  return {
    set: {
      handed_over_at: new Date(event.occurredAt),
      handed_over_by: payload.actor.sub,
      handover_role: payload.actor.role,
      handover_office_id: payload.method === 'pickup' ? (payload.officeId ?? null) : null,
      handover_courier_id: payload.courierId ?? null,
    },
  };
}

/** The acceptance day a receipt number carries (<office>-<yyyymmdd>-<n>), China time. */
export function acceptanceDay(receiptNumber: string): LocalDate | null {
  const day = /-(\d{4})(\d{2})(\d{2})-\d+$/.exec(receiptNumber);
  return day ? `${day[1]}-${day[2]}-${day[3]}` : null;
}

/**
 * Working days from acceptance to decision, counted as the limits count them: from the working
 * day after the acceptance day to the decision's day, so 0 is a decision on the acceptance day
 * (即办) and N is within an N-working-day limit.
 */
export function workingDaysBetween(
  accepted: LocalDate,
  decidedAt: Date,
  calendar: WorkingDayCalendar,
): number {
  const last = dayNumber(localDateOf(decidedAt));
  let days = 0;
  for (let day = dayNumber(accepted) + 1; day <= last; day += 1)
    if (calendar.isWorkingDay(localDateOfDay(day))) days += 1;
  return days;
}

/** The figures derived from the facts once the events they need have all arrived. */
export function derivedFacts(
  facts: CaseFactRow,
  calendarOf: (departmentId: string) => WorkingDayCalendar | undefined,
  promisedDaysOf: (itemCode: string) => number | undefined,
): Pick<CaseFactRow, 'decision_working_days' | 'promised_due_at'> {
  const department = facts.decision_department_id ?? facts.department_id;
  const calendar = department ? calendarOf(department) : undefined;
  const accepted = facts.receipt_number ? acceptanceDay(facts.receipt_number) : null;
  if (!calendar || !accepted || !facts.receipt_number)
    return { decision_working_days: null, promised_due_at: null };
  const promisedDays = facts.item_code ? promisedDaysOf(facts.item_code) : undefined;
  return {
    decision_working_days: facts.decided_at ? workingDaysBetween(accepted, facts.decided_at, calendar) : null,
    promised_due_at:
      promisedDays !== undefined && facts.legal_first_due_at && facts.legal_due_at
        ? promisedDueAt(
            facts.receipt_number,
            promisedDays,
            { firstDueAt: facts.legal_first_due_at, dueAt: facts.legal_due_at },
            calendar,
          )
        : null,
  };
}
