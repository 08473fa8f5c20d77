import type { DecisionKind, DecisionOrigin, PayloadOf } from '@tongban/contracts';

export type DepartmentDecision = PayloadOf<'case.decided'>['departmentDecisions'][number];

export const WORK_ITEM_STATES = [
  'open',
  'supplement_requested',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type WorkItemState = (typeof WORK_ITEM_STATES)[number];
/** The states of an item its department is still working on (a supplement pauses, it does not end). */
export const ACTIVE_STATES: readonly WorkItemState[] = ['open', 'supplement_requested'];

export function isActive(state: WorkItemState): boolean {
  return ACTIVE_STATES.includes(state);
}

/** One assigned department's part of a case (the work items of the case's current routing). */
export interface DepartmentPart {
  readonly departmentId: string;
  readonly role: 'primary' | 'parallel';
  readonly state: WorkItemState;
  /** Present once the department decided (approved or rejected). */
  readonly decision?: DepartmentDecision;
}

export type JoinResult =
  | { readonly kind: 'pending'; readonly waitingFor: readonly string[] }
  | {
      readonly kind: 'approved';
      readonly origin: DecisionOrigin;
      readonly decisions: readonly DepartmentDecision[];
    }
  | {
      readonly kind: 'rejected';
      readonly origin: DecisionOrigin;
      /** The first rejection: it decides the case. */
      readonly rejection: DepartmentDecision;
      readonly decisions: readonly DepartmentDecision[];
      /** Departments still working on the case, whose items are withdrawn. */
      readonly withdraw: readonly string[];
    };

/**
 * 并联审批: a case is approved only when every assigned department approved; the first rejection
 * rejects it and withdraws the departments still working; otherwise it waits. Withdrawn parts
 * (a superseded routing) are not counted.
 */
export function joinDecisions(parts: readonly DepartmentPart[]): JoinResult {
  const current = parts.filter((part) => part.state !== 'withdrawn');
  const decided = current.flatMap((part) => (part.decision ? [part.decision] : []));
  const rejections = decided
    .filter((decision) => decision.outcome === 'rejected')
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
  const [rejection] = rejections;
  if (rejection) {
    return {
      kind: 'rejected',
      origin: rejection.origin,
      rejection,
      decisions: sortDecisions(decided),
      withdraw: current.filter((part) => !part.decision).map((part) => part.departmentId),
    };
  }
  const waitingFor = current.filter((part) => !part.decision).map((part) => part.departmentId);
  if (current.length === 0 || waitingFor.length > 0) return { kind: 'pending', waitingFor };
  return { kind: 'approved', origin: caseOrigin(decided), decisions: sortDecisions(decided) };
}

/** A case decided by 秒批 alone is 'auto'; any reviewer makes it 'reviewer'; else 'system'. */
export function caseOrigin(decisions: readonly DepartmentDecision[]): DecisionOrigin {
  if (decisions.length > 0 && decisions.every((decision) => decision.origin === 'auto')) return 'auto';
  return decisions.some((decision) => decision.origin === 'reviewer') ? 'reviewer' : 'system';
}

function sortDecisions(decisions: readonly DepartmentDecision[]): DepartmentDecision[] {
  return [...decisions].sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
}

export type { DecisionKind };
