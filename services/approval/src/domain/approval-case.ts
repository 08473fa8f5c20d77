import type {
  Actor as EventActor,
  AnyCaseSnapshot,
  DecisionOrigin,
  PayloadOf,
  TongbanEvent,
} from '@tongban/contracts';
import type { AutoApprovalResult, EvaluatedCheck } from './auto-approval';
import type { WorkItemState } from './parallel-join';
import type { ClockState, SlaPolicy, SlaTimerKind, WorkingClock } from './sla-clock';
import type { PriorRequest } from './supplement-policy';

export type Assignment = PayloadOf<'case.routed'>['assignments'][number];

export type CaseState = 'in_review' | 'approved' | 'rejected' | 'withdrawn';

/** A result document (办件结果) as issued with an approval, with the reviewer's metadata. */
export interface ResultDocument {
  readonly number: string;
  readonly title: string;
  readonly departmentId: string;
  readonly issuedAt: string;
  readonly validUntil?: string;
  readonly remarks?: string;
  readonly paperNoticeRequested?: boolean;
}

/** A routed case: its snapshot, its statutory clock and, once made, the decision. */
export interface ApprovalCase {
  readonly caseId: string;
  /** The current routing; items of earlier routings are withdrawn. */
  readonly routingId: string;
  readonly itemCode: string;
  readonly receiptNumber: string;
  readonly snapshot: AnyCaseSnapshot;
  readonly state: CaseState;
  /** The deciding (primary) department, whose working-day calendar the clock runs on. */
  readonly clockDepartmentId: string;
  readonly timeLimitDays: number;
  readonly clock: ClockState;
  /** When the warning share is used up ("due soon"); null while paused or decided. */
  readonly warnAt: Date | null;
  readonly supplementRound: number;
  readonly outcome: 'approved' | 'rejected' | null;
  readonly origin: DecisionOrigin | null;
  readonly decidedAt: Date | null;
  readonly resultDocument: ResultDocument | null;
  readonly autoChecks: readonly EvaluatedCheck[] | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One assigned department's work on a case. */
export interface WorkItem {
  readonly id: string;
  readonly caseId: string;
  readonly routingId: string;
  readonly departmentId: string;
  readonly districtCode: string;
  readonly role: 'primary' | 'parallel';
  readonly itemCode: string;
  readonly receiptNumber: string;
  readonly state: WorkItemState;
  readonly claimedBy: string | null;
  readonly claimedAt: Date | null;
  readonly escalatedAt: Date | null;
  readonly origin: DecisionOrigin | null;
  readonly decidedBy: EventActor | null;
  readonly decidedAt: Date | null;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  readonly document: ResultDocument | null;
  readonly autoChecks: readonly EvaluatedCheck[] | null;
  readonly withdrawnReason: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SupplementItem {
  readonly materialCode: string;
  readonly materialName: string;
  readonly reason: string;
}

/** 一次性告知: one department's list of missing or wrong materials, one round of the case. */
export interface SupplementRequest {
  readonly requestId: string;
  readonly caseId: string;
  readonly workItemId: string;
  readonly departmentId: string;
  readonly round: number;
  readonly items: readonly SupplementItem[];
  readonly requestedBy: EventActor;
  readonly requestedAt: Date;
  readonly dueAt: Date | null;
  readonly answeredAt: Date | null;
  readonly answeredMaterials: readonly string[] | null;
  readonly withdrawnAt: Date | null;
}

/** What the decision reads: the case (absent before its first routing) and all its work items. */
export interface CaseFile {
  readonly case: ApprovalCase | undefined;
  readonly items: readonly WorkItem[];
}

/** The case's clock arithmetic and SLA thresholds, on the deciding department's calendar. */
export interface ApprovalPolicy {
  readonly clock: WorkingClock;
  readonly sla: SlaPolicy;
  /**
   * Whether the due instant is counted from the time limit on `clock` (the compressed test clock)
   * instead of taken from routing's `slaDueAt`, which was counted from the acceptance instant.
   */
  readonly dueFromTimeLimit: boolean;
}

/** Who acts on a work item: the reviewer's subject, and the actor events and columns record. */
export interface Reviewer {
  readonly sub: string;
  readonly actor: EventActor;
  /** A supervisor may release anyone's claim. */
  readonly supervisor: boolean;
}

export type CaseAction =
  /** `case.routed`: a new case, or a re-route that supersedes the current routing. */
  | {
      readonly type: 'route';
      readonly caseId: string;
      readonly routingId: string;
      readonly snapshot: AnyCaseSnapshot;
      readonly assignments: readonly Assignment[];
      readonly timeLimitDays: number;
      readonly slaDueAt: Date;
      /** When routing decided: the clock of a new case starts then. */
      readonly routedAt: Date;
      /** Ids of the new work items, one per assignment, in order. */
      readonly itemIds: readonly string[];
      readonly auto: AutoApprovalResult;
      /** Issued beforehand when 秒批 passed: the primary department's result document. */
      readonly document?: ResultDocument;
      readonly at: Date;
    }
  | { readonly type: 'claim'; readonly itemId: string; readonly reviewer: Reviewer; readonly at: Date }
  | { readonly type: 'release'; readonly itemId: string; readonly reviewer: Reviewer; readonly at: Date }
  | {
      readonly type: 'approve';
      readonly itemId: string;
      readonly reviewer: Reviewer;
      readonly document: ResultDocument;
      readonly at: Date;
    }
  | {
      readonly type: 'reject';
      readonly itemId: string;
      readonly reviewer: Reviewer;
      readonly reasonCode: string;
      readonly reasonText: string;
      readonly at: Date;
    }
  | {
      readonly type: 'request_supplements';
      readonly itemId: string;
      readonly reviewer: Reviewer;
      readonly requestId: string;
      readonly items: readonly SupplementItem[];
      /** Working days the applicant has to answer. */
      readonly responseDays: number;
      /** The case's earlier requests (一次性告知 rounds). */
      readonly history: readonly PriorRequest[];
      readonly at: Date;
    }
  /** `case.supplemented`: the applicant answered `request` (undefined when approval does not know it). */
  | {
      readonly type: 'supplement';
      readonly request: SupplementRequest | undefined;
      readonly materials: readonly { readonly code: string; readonly name: string }[];
      /** When the applicant handed the materials in. */
      readonly answeredAt: Date;
      readonly at: Date;
    }
  /** A persisted SLA timer of `routingId` came due. */
  | {
      readonly type: 'fire_timer';
      readonly kind: SlaTimerKind;
      readonly routingId: string;
      readonly at: Date;
    };

export type CaseActionType = CaseAction['type'];

export type TimerChange =
  /** (Re)schedules the routing's timers; kinds that already fired stay fired. */
  | {
      readonly kind: 'schedule';
      readonly caseId: string;
      readonly routingId: string;
      readonly fireAt: Readonly<Record<SlaTimerKind, Date>>;
    }
  | { readonly kind: 'pause'; readonly routingId: string }
  | { readonly kind: 'cancel'; readonly caseId: string };

export type RequestChange =
  | { readonly kind: 'insert'; readonly request: SupplementRequest }
  | {
      readonly kind: 'answer';
      readonly requestId: string;
      readonly answeredAt: Date;
      readonly materials: readonly string[];
    }
  /** Closes the case's unanswered request, if any (the case was decided or re-routed). */
  | { readonly kind: 'withdraw_open'; readonly caseId: string; readonly at: Date };

/** Rows to write: the case and items whole, as they must be stored after the action. */
export interface CaseChanges {
  readonly case?: ApprovalCase;
  readonly items: readonly WorkItem[];
  readonly timers: readonly TimerChange[];
  readonly requests: readonly RequestChange[];
}

export type Refusal =
  | { readonly kind: 'not_found' }
  | {
      readonly kind: 'conflict';
      readonly message: string;
      readonly detail: Readonly<Record<string, unknown>>;
    };

export type Decision =
  | {
      readonly ok: true;
      readonly changes: CaseChanges;
      readonly events: readonly TongbanEvent[];
      /** Why an event changed nothing (a replay, a decided case), for the log. */
      readonly ignored?: string;
    }
  | { readonly ok: false; readonly refusal: Refusal };
