import {
  type Actor as EventActor,
  type CaseSnapshotV2,
  createEvent,
  type SlaEventKind,
  snapshotVersion,
  type TongbanEvent,
} from '@tongban/contracts';
import type {
  ApprovalCase,
  Assignment,
  ApprovalPolicy,
  CaseAction,
  CaseChanges,
  CaseFile,
  Decision,
  RequestChange,
  ResultDocument,
  Reviewer,
  TimerChange,
  WorkItem,
} from './approval-case';
import { must } from './must';
import type { EvaluatedCheck } from './auto-approval';
import {
  isActive,
  joinDecisions,
  type DepartmentDecision,
  type DepartmentPart,
  type JoinResult,
} from './parallel-join';
import { type ClockState, pauseClock, resumeClock, startClock, timerSchedule, usedShare } from './sla-clock';
import { checkSupplementRequest } from './supplement-policy';

/** The system actor of decisions nobody made by hand: 秒批. */
export const AUTO_ACTOR: EventActor = { sub: 'approval-auto', role: 'system' };
/** Approval itself: parallel withdrawals. */
export const SYSTEM_ACTOR: EventActor = { sub: 'approval', role: 'system' };

const STATE_CONFLICTS: Readonly<Record<string, string>> = {
  supplement_requested: 'the item is waiting for the applicant’s supplement',
  approved: 'the item has already been decided (approved)',
  rejected: 'the item has already been decided (rejected)',
  withdrawn: 'the item has been withdrawn',
};

/**
 * A case and its work items as one pure state machine: for an action, the rows to write and the
 * events to publish with them, or why the action is refused (the API answers 404 or 409 and
 * changes nothing). No I/O: the caller loads the case file under the case lock, issues document
 * numbers and ids beforehand, and persists the changes and events in one transaction.
 *
 * - route: a new case becomes one open item per department; a re-route withdraws the items, open
 *   request and timers of the superseded routing, the clock keeps its start. 秒批 decides the
 *   primary item on arrival when its checks pass.
 * - claim / release: one reviewer at a time holds an item; a supervisor may release any claim.
 * - approve / reject (claimed, open items): 并联审批 joins the departments' decisions; the first
 *   rejection withdraws the others and rejects the case.
 * - request_supplements (claimed, open items): 一次性告知, pauses the clock and its timers.
 * - supplement: the applicant answered; the item is back in the queue and the clock resumes.
 * - fire_timer: a `case.sla` per department still working; escalation marks their items.
 */
export function decide(file: CaseFile, action: CaseAction, policy: ApprovalPolicy): Decision {
  switch (action.type) {
    case 'route':
      return route(file, action, policy);
    case 'claim':
    case 'release':
    case 'approve':
    case 'reject':
    case 'request_supplements':
      return onItem(file, action, policy);
    case 'supplement':
      return supplement(file, action, policy);
    case 'fire_timer':
      return fireTimer(file, action, policy);
  }
}

/** Collects the writes of one decision; an item or case written twice keeps its last version. */
class ChangeSet {
  private caseRow: ApprovalCase | undefined;
  private readonly items = new Map<string, WorkItem>();
  private readonly timers = new Map<string, TimerChange>();
  private readonly requests = new Map<string, RequestChange>();
  readonly events: TongbanEvent[] = [];

  constructor(private readonly file: CaseFile) {}

  get case(): ApprovalCase | undefined {
    return this.caseRow ?? this.file.case;
  }

  /** The case's items as they stand with this change set applied. */
  get currentItems(): WorkItem[] {
    const merged = new Map(this.file.items.map((item) => [item.id, item]));
    for (const [id, item] of this.items) merged.set(id, item);
    return [...merged.values()];
  }

  setCase(next: ApprovalCase): ApprovalCase {
    this.caseRow = next;
    return next;
  }

  setItem(next: WorkItem): WorkItem {
    this.items.set(next.id, next);
    return next;
  }

  timer(change: TimerChange): void {
    this.timers.set(JSON.stringify(change), change);
  }

  request(change: RequestChange): void {
    this.requests.set(change.kind === 'insert' ? change.request.requestId : JSON.stringify(change), change);
  }

  decision(ignored?: string): Decision {
    const changes: CaseChanges = {
      ...(this.caseRow ? { case: this.caseRow } : {}),
      items: [...this.items.values()],
      timers: [...this.timers.values()],
      requests: [...this.requests.values()],
    };
    return { ok: true, changes, events: this.events, ...(ignored ? { ignored } : {}) };
  }
}

const unchanged = (ignored: string): Decision =>
  new ChangeSet({ case: undefined, items: [] }).decision(ignored);
const conflict = (message: string, detail: Record<string, unknown> = {}): Decision => ({
  ok: false,
  refusal: { kind: 'conflict', message, detail },
});
const NOT_FOUND: Decision = { ok: false, refusal: { kind: 'not_found' } };

type RouteAction = Extract<CaseAction, { type: 'route' }>;

function route(file: CaseFile, action: RouteAction, policy: ApprovalPolicy): Decision {
  const existing = file.case;
  if (existing?.routingId === action.routingId) return unchanged('routing already applied');
  if (existing && existing.state !== 'in_review') return unchanged(`case already ${existing.state}`);
  const changes = new ChangeSet(file);
  const { at } = action;
  const primary = must(
    action.assignments.find((assignment) => assignment.role === 'primary'),
    'the primary assignment',
  );
  if (existing) withdrawRouting(changes, existing, action.routingId, at);
  const startedAt = existing?.clock.startedAt ?? action.routedAt;
  const dueAt = policy.dueFromTimeLimit
    ? policy.clock.addWorkingDays(startedAt, action.timeLimitDays)
    : action.slaDueAt;
  const clock = startClock(startedAt, dueAt, policy.clock);
  let caseRow = changes.setCase(routedCase(existing, action, primary.departmentId, clock));
  const items = action.assignments.map((assignment, index) =>
    changes.setItem(openItem(action, assignment, must(action.itemIds[index], 'a work item id'))),
  );
  if (action.auto.eligible) {
    const primaryItem = must(
      items.find((item) => item.role === 'primary'),
      'the primary work item',
    );
    const checked = changes.setItem({ ...primaryItem, autoChecks: action.auto.checks });
    if (action.auto.passed) {
      changes.setItem({
        ...decided(checked, at),
        state: 'approved',
        origin: 'auto',
        decidedBy: AUTO_ACTOR,
        document: must(action.document, 'the 秒批 result document'),
      });
      if (join(changes, at) !== 'pending') return changes.decision();
      caseRow = must(changes.case, 'the case');
    }
  }
  const schedule = timerSchedule(clock, at, policy.clock, policy.sla);
  if (schedule) {
    changes.timer({
      kind: 'schedule',
      caseId: caseRow.caseId,
      routingId: caseRow.routingId,
      fireAt: schedule,
    });
    changes.setCase({ ...caseRow, warnAt: schedule.warning });
  }
  return changes.decision();
}

/** The case as a routing leaves it: in review on the primary department's clock. */
function routedCase(
  existing: ApprovalCase | undefined,
  action: RouteAction,
  clockDepartmentId: string,
  clock: ClockState,
): ApprovalCase {
  return {
    caseId: action.caseId,
    routingId: action.routingId,
    itemCode: action.snapshot.itemCode,
    receiptNumber: action.snapshot.receiptNumber,
    snapshot: action.snapshot,
    state: 'in_review',
    clockDepartmentId,
    timeLimitDays: action.timeLimitDays,
    clock,
    warnAt: null,
    supplementRound: existing?.supplementRound ?? 0,
    outcome: null,
    origin: null,
    decidedAt: null,
    resultDocument: null,
    autoChecks: null,
    version: (existing?.version ?? 0) + 1,
    createdAt: existing?.createdAt ?? action.at,
    updatedAt: action.at,
  };
}

function openItem(action: RouteAction, assignment: Assignment, id: string): WorkItem {
  return {
    id,
    caseId: action.caseId,
    routingId: action.routingId,
    departmentId: assignment.departmentId,
    districtCode: assignment.districtCode,
    role: assignment.role,
    itemCode: action.snapshot.itemCode,
    receiptNumber: action.snapshot.receiptNumber,
    state: 'open',
    claimedBy: null,
    claimedAt: null,
    escalatedAt: null,
    origin: null,
    decidedBy: null,
    decidedAt: null,
    reasonCode: null,
    reasonText: null,
    document: null,
    autoChecks: null,
    withdrawnReason: null,
    version: 1,
    createdAt: action.at,
    updatedAt: action.at,
  };
}

/** A superseded routing: its active items, open request and pending timers are withdrawn. */
function withdrawRouting(changes: ChangeSet, existing: ApprovalCase, routingId: string, at: Date): void {
  for (const item of changes.currentItems) {
    if (item.routingId === routingId || !isActive(item.state)) continue;
    changes.setItem({
      ...item,
      state: 'withdrawn',
      withdrawnReason: 'rerouted',
      version: item.version + 1,
      updatedAt: at,
    });
  }
  changes.request({ kind: 'withdraw_open', caseId: existing.caseId, at });
  changes.timer({ kind: 'cancel', caseId: existing.caseId });
}

function decided(item: WorkItem, at: Date): WorkItem {
  return { ...item, decidedAt: at, version: item.version + 1, updatedAt: at };
}

function onItem(
  file: CaseFile,
  action: Extract<CaseAction, { type: 'claim' | 'release' | 'approve' | 'reject' | 'request_supplements' }>,
  policy: ApprovalPolicy,
): Decision {
  const caseRow = file.case;
  const item = file.items.find((candidate) => candidate.id === action.itemId);
  if (!caseRow || !item) return NOT_FOUND;
  const { reviewer, at } = action;
  const changes = new ChangeSet(file);
  switch (action.type) {
    case 'claim': {
      if (item.state !== 'supplement_requested' && item.state !== 'open') return notOpen(item);
      if (item.claimedBy === reviewer.sub) return changes.decision();
      if (item.claimedBy !== null)
        return conflict('the item is claimed by another reviewer', { claimedBy: item.claimedBy });
      changes.setItem(claimed(item, reviewer.sub, at));
      return changes.decision();
    }
    case 'release': {
      if (item.claimedBy === null) return changes.decision();
      if (item.claimedBy !== reviewer.sub && !reviewer.supervisor)
        return conflict('the item is claimed by another reviewer', { claimedBy: item.claimedBy });
      changes.setItem(claimed(item, null, at));
      return changes.decision();
    }
    case 'approve':
    case 'reject':
    case 'request_supplements': {
      const refused = assertWorkable(item, reviewer);
      if (refused) return refused;
      if (action.type === 'request_supplements')
        return requestSupplements(changes, caseRow, item, action, policy);
      changes.setItem({
        ...decided(item, at),
        state: action.type === 'approve' ? 'approved' : 'rejected',
        origin: 'reviewer',
        decidedBy: reviewer.actor,
        ...(action.type === 'approve'
          ? { document: action.document }
          : { reasonCode: action.reasonCode, reasonText: action.reasonText }),
      });
      join(changes, at);
      return changes.decision();
    }
  }
}

function claimed(item: WorkItem, by: string | null, at: Date): WorkItem {
  return {
    ...item,
    claimedBy: by,
    claimedAt: by === null ? null : at,
    version: item.version + 1,
    updatedAt: at,
  };
}

function notOpen(item: WorkItem): Decision {
  return conflict(STATE_CONFLICTS[item.state] ?? 'the item is not open', { state: item.state });
}

/** Deciding or asking for supplements needs an open item the reviewer holds. */
function assertWorkable(item: WorkItem, reviewer: Reviewer): Decision | undefined {
  if (item.state !== 'open') return notOpen(item);
  if (item.claimedBy === null) return conflict('claim the item before acting on it');
  if (item.claimedBy !== reviewer.sub)
    return conflict('the item is claimed by another reviewer', { claimedBy: item.claimedBy });
  return undefined;
}

function requestSupplements(
  changes: ChangeSet,
  caseRow: ApprovalCase,
  item: WorkItem,
  action: Extract<CaseAction, { type: 'request_supplements' }>,
  policy: ApprovalPolicy,
): Decision {
  const { at } = action;
  const codes = action.items.map((entry) => entry.materialCode);
  const check = checkSupplementRequest(item.departmentId, codes, action.history);
  if (!check.ok && check.reason === 'round_open')
    return conflict(
      `a supplement request (round ${check.round}) is already open; 一次性告知 allows one list per round`,
      { round: check.round, departmentId: check.departmentId },
    );
  if (!check.ok)
    return conflict('a later round may only ask about materials the applicant changed (一次性告知)', {
      issues: check.materials.map((code) => ({
        field: `items.${codes.indexOf(code)}.materialCode`,
        reason: `${code} was not changed by the applicant since this department's last request`,
      })),
    });
  const dueAt = policy.clock.addWorkingDays(at, action.responseDays);
  const requestedBy = action.reviewer.actor;
  changes.request({
    kind: 'insert',
    request: {
      requestId: action.requestId,
      caseId: caseRow.caseId,
      workItemId: item.id,
      departmentId: item.departmentId,
      round: check.round,
      items: action.items,
      requestedBy,
      requestedAt: at,
      dueAt,
      answeredAt: null,
      answeredMaterials: null,
      withdrawnAt: null,
    },
  });
  changes.setItem({ ...item, state: 'supplement_requested', version: item.version + 1, updatedAt: at });
  const paused = changes.setCase({
    ...caseRow,
    supplementRound: check.round,
    clock: pauseClock(caseRow.clock, at, policy.clock),
    warnAt: null,
    version: caseRow.version + 1,
    updatedAt: at,
  });
  changes.timer({ kind: 'pause', routingId: caseRow.routingId });
  changes.events.push(
    createEvent({
      type: 'case.supplement-requested',
      caseId: caseRow.caseId,
      producer: 'approval',
      occurredAt: at,
      payload: {
        requestId: action.requestId,
        departmentId: item.departmentId,
        round: check.round,
        items: [...action.items],
        dueAt: dueAt.toISOString(),
        requestedBy,
      },
    }),
    slaEvent(paused, paused.clock, 'paused', item.departmentId, at, policy),
  );
  return changes.decision();
}

/**
 * 并联审批 join after a department decided: when the case is decided, withdraws the departments
 * still working (first rejection), closes the clock, its timers and open request and emits
 * `case.decided`. Returns the join's kind.
 */
function join(changes: ChangeSet, at: Date): 'pending' | 'approved' | 'rejected' {
  const caseRow = must(changes.case, 'the case');
  const items = currentRouting(changes.currentItems, caseRow.routingId);
  const result = joinDecisions(items.map(partOf));
  if (result.kind === 'pending') return 'pending';
  if (result.kind === 'rejected') {
    for (const item of items) {
      if (!result.withdraw.includes(item.departmentId) || !isActive(item.state)) continue;
      changes.setItem({
        ...decided(item, at),
        state: 'withdrawn',
        withdrawnReason: 'parallel_rejection',
        origin: 'system',
        decidedBy: SYSTEM_ACTOR,
      });
    }
  }
  changes.request({ kind: 'withdraw_open', caseId: caseRow.caseId, at });
  const primary = items.find((item) => item.role === 'primary');
  const documents = items.flatMap((item) =>
    item.state === 'approved' && item.document ? [item.document] : [],
  );
  const document = primary?.document ?? documents[0];
  const autoChecks = primary?.autoChecks ?? null;
  changes.setCase({
    ...caseRow,
    state: result.kind,
    outcome: result.kind,
    origin: result.origin,
    decidedAt: at,
    resultDocument: result.kind === 'approved' && document ? document : null,
    autoChecks,
    warnAt: null,
    version: caseRow.version + 1,
    updatedAt: at,
  });
  changes.timer({ kind: 'cancel', caseId: caseRow.caseId });
  changes.events.push(decidedEvent(caseRow, result, { document, documents, autoChecks }, at));
  return result.kind;
}

/** `case.decided`: the outcome, each department's decision and the result document or refusal. */
function decidedEvent(
  caseRow: ApprovalCase,
  result: Exclude<JoinResult, { kind: 'pending' }>,
  issued: {
    readonly document: ResultDocument | undefined;
    readonly documents: readonly ResultDocument[];
    readonly autoChecks: readonly EvaluatedCheck[] | null;
  },
  at: Date,
): TongbanEvent {
  const { document, documents, autoChecks } = issued;
  return createEvent({
    type: 'case.decided',
    version: snapshotVersion(caseRow.snapshot),
    caseId: caseRow.caseId,
    producer: 'approval',
    occurredAt: at,
    payload: {
      outcome: result.kind,
      origin: result.origin,
      departmentDecisions: [...result.decisions],
      ...(result.kind === 'approved' && document
        ? {
            resultDocument: documentOnEvent(document),
            resultDocuments: [
              document,
              ...documents.filter((d) => d.departmentId !== document.departmentId),
            ].map(documentOnEvent),
          }
        : {}),
      ...(result.kind === 'rejected'
        ? {
            rejection: {
              reasonCode: result.rejection.reasonCode ?? 'rejected',
              text: result.rejection.reasonText ?? '不予受理',
            },
          }
        : {}),
      ...(autoChecks ? { autoChecks: [...autoChecks] } : {}),
      paperNoticeRequested: documents.some((d) => d.paperNoticeRequested === true),
      // Either version: createEvent checks it against the version named above.
      case: caseRow.snapshot as CaseSnapshotV2,
    },
  });
}

function documentOnEvent(document: ResultDocument) {
  return {
    number: document.number,
    title: document.title,
    departmentId: document.departmentId,
    issuedAt: document.issuedAt,
  };
}

/** The items of the routing, primary first, then by department (the order decisions list them). */
function currentRouting(items: readonly WorkItem[], routingId: string): WorkItem[] {
  return items
    .filter((item) => item.routingId === routingId)
    .sort((a, b) =>
      a.role === b.role ? a.departmentId.localeCompare(b.departmentId) : a.role === 'primary' ? -1 : 1,
    );
}

export function partOf(item: WorkItem): DepartmentPart {
  const decidedAt = item.decidedAt;
  const decidedBy = item.decidedBy;
  const decision: DepartmentDecision | undefined =
    (item.state === 'approved' || item.state === 'rejected') && decidedAt && decidedBy
      ? {
          departmentId: item.departmentId,
          outcome: item.state,
          origin: item.origin ?? 'reviewer',
          ...(item.reasonCode ? { reasonCode: item.reasonCode } : {}),
          ...(item.reasonText ? { reasonText: item.reasonText } : {}),
          decidedBy,
          decidedAt: decidedAt.toISOString(),
        }
      : undefined;
  return {
    departmentId: item.departmentId,
    role: item.role,
    state: item.state,
    ...(decision ? { decision } : {}),
  };
}

function supplement(
  file: CaseFile,
  action: Extract<CaseAction, { type: 'supplement' }>,
  policy: ApprovalPolicy,
): Decision {
  const caseRow = file.case;
  const request = action.request;
  if (!caseRow) return unchanged('case.supplemented for a case approval does not know');
  if (!request || request.answeredAt)
    return unchanged('case.supplemented for an unknown or answered request');
  const changes = new ChangeSet(file);
  const { at } = action;
  const codes = action.materials.map((material) => material.code);
  changes.request({
    kind: 'answer',
    requestId: request.requestId,
    answeredAt: action.answeredAt,
    materials: codes,
  });
  const snapshot = {
    ...caseRow.snapshot,
    materials: [
      ...caseRow.snapshot.materials.filter((material) => !codes.includes(material.code)),
      ...action.materials,
    ],
    missingMaterials: caseRow.snapshot.missingMaterials.filter((code) => !codes.includes(code)),
  };
  const updated = changes.setCase({ ...caseRow, snapshot, updatedAt: at });
  if (request.withdrawnAt || caseRow.state !== 'in_review') return changes.decision();
  const item = file.items.find((candidate) => candidate.id === request.workItemId);
  if (item?.state === 'supplement_requested')
    changes.setItem({ ...item, state: 'open', version: item.version + 1, updatedAt: at });
  // The clock resumes when the applicant handed the materials in (not when we processed it).
  const resumedAt = new Date(
    Math.min(at.getTime(), Math.max(action.answeredAt.getTime(), caseRow.clock.pausedAt?.getTime() ?? 0)),
  );
  const resumed = resumeClock(caseRow.clock, resumedAt, policy.clock);
  const schedule = timerSchedule(resumed, at, policy.clock, policy.sla);
  if (schedule)
    changes.timer({
      kind: 'schedule',
      caseId: caseRow.caseId,
      routingId: caseRow.routingId,
      fireAt: schedule,
    });
  const running = changes.setCase({
    ...updated,
    clock: resumed,
    warnAt: schedule?.warning ?? null,
    version: caseRow.version + 1,
  });
  changes.events.push(slaEvent(running, resumed, 'resumed', request.departmentId, at, policy));
  return changes.decision();
}

function fireTimer(
  file: CaseFile,
  action: Extract<CaseAction, { type: 'fire_timer' }>,
  policy: ApprovalPolicy,
): Decision {
  const caseRow = file.case;
  if (!caseRow || caseRow.state !== 'in_review' || caseRow.routingId !== action.routingId)
    return unchanged('timer of a decided case or a superseded routing');
  const changes = new ChangeSet(file);
  const { at, kind } = action;
  for (const item of currentRouting(file.items, caseRow.routingId)) {
    if (!isActive(item.state)) continue;
    if (kind === 'escalated')
      changes.setItem({ ...item, escalatedAt: at, version: item.version + 1, updatedAt: at });
    changes.events.push(slaEvent(caseRow, caseRow.clock, kind, item.departmentId, at, policy));
  }
  return changes.decision();
}

/** A `case.sla` event of the case's clock as it stands at `at`. */
function slaEvent(
  caseRow: ApprovalCase,
  clock: ClockState,
  kind: SlaEventKind,
  departmentId: string,
  at: Date,
  policy: ApprovalPolicy,
): TongbanEvent {
  return createEvent({
    type: 'case.sla',
    caseId: caseRow.caseId,
    producer: 'approval',
    occurredAt: at,
    payload: {
      kind,
      departmentId,
      dueAt: clock.dueAt.toISOString(),
      usedShare: Math.round(usedShare(clock, at, policy.clock) * 10000) / 10000,
      ...(kind === 'escalated' ? { escalatedToRole: 'supervisor' as const } : {}),
    },
  });
}
