import type { CaseSnapshot, EventOf, TongbanEvent } from '@tongban/contracts';
import type {
  ApprovalCase,
  ApprovalPolicy,
  CaseAction,
  CaseFile,
  Decision,
  Reviewer,
  SupplementRequest,
  WorkItem,
} from './approval-case';
import { CompressedClock } from './compressed-clock';
import { AUTO_ACTOR, decide, SYSTEM_ACTOR } from './case-decision';
import { WORK_ITEM_STATES, type WorkItemState } from './parallel-join';
import type { PriorRequest } from './supplement-policy';

// One working day lasts 100 s of wall-clock time, continuously: easy arithmetic.
const clock = new CompressedClock(100);
const policy: ApprovalPolicy = {
  clock,
  sla: { warningShare: 0.8, escalationSeconds: 8 * 3600 },
  dueFromTimeLimit: true,
};
const T0 = new Date('2026-11-23T02:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const snapshot = {
  receiptNumber: '440306001-20261123-0001',
  itemCode: 'RS-SBKSL-003',
  acceptingOfficeId: '440306001',
  acceptingDistrict: '440306',
  applicant: {
    kind: 'person',
    name: '测试申请人',
    idNumber: { ciphertext: 'v1.k1.x', hash: 'f'.repeat(64), masked: '440306********002X' },
    phone: { ciphertext: 'v1.k1.x', hash: 'f'.repeat(64), masked: '138****0000' },
    householdDistrict: '440306',
  },
  materials: [{ code: 'id_card', name: '居民身份证' }],
  missingMaterials: ['photo'],
  delivery: { method: 'pickup', officeId: '440306001' },
} as CaseSnapshot;

const CASE = '00000000-0000-4000-8000-000000000001';
const ROUTING = '00000000-0000-4000-8000-0000000000a1';
const REVIEWER: Reviewer = {
  sub: 'reviewer-rsj',
  actor: { sub: 'reviewer-rsj', role: 'reviewer', departmentId: '440306-rsj' },
  supervisor: false,
};
const OTHER: Reviewer = {
  ...REVIEWER,
  sub: 'reviewer-two',
  actor: { ...REVIEWER.actor, sub: 'reviewer-two' },
};
const SUPERVISOR: Reviewer = { ...OTHER, sub: 'supervisor', supervisor: true };
const DOCUMENT = {
  number: '440306-rsj-20261123-00001',
  title: '社保卡申领 准予办理决定书',
  departmentId: '440306-rsj',
  issuedAt: T0.toISOString(),
};

function routeAction(overrides: Partial<Extract<CaseAction, { type: 'route' }>> = {}): CaseAction {
  return {
    type: 'route',
    caseId: CASE,
    routingId: ROUTING,
    snapshot,
    assignments: [
      { departmentId: '440306-rsj', districtCode: '440306', role: 'primary' },
      { departmentId: '440306-ybj', districtCode: '440306', role: 'parallel' },
    ],
    timeLimitDays: 5,
    slaDueAt: at(999_999),
    routedAt: T0,
    itemIds: ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'],
    auto: { eligible: false },
    at: T0,
    ...overrides,
  };
}

function ok(decision: Decision): Extract<Decision, { ok: true }> {
  if (!decision.ok) throw new Error(`refused: ${JSON.stringify(decision.refusal)}`);
  return decision;
}

/** The file as the store would load it after the decision's changes were written. */
function applied(file: CaseFile, decision: Decision): CaseFile {
  const { changes } = ok(decision);
  const items = new Map(file.items.map((item) => [item.id, item]));
  for (const item of changes.items) items.set(item.id, item);
  return { case: changes.case ?? file.case, items: [...items.values()] };
}

const routed = (): CaseFile =>
  applied({ case: undefined, items: [] }, decide({ case: undefined, items: [] }, routeAction(), policy));
const primaryOf = (file: CaseFile) => file.items.find((item) => item.role === 'primary')!;
const parallelOf = (file: CaseFile) => file.items.find((item) => item.role === 'parallel')!;

function withItem(file: CaseFile, id: string, changes: Partial<WorkItem>): CaseFile {
  return { ...file, items: file.items.map((item) => (item.id === id ? { ...item, ...changes } : item)) };
}

function ofType<Type extends TongbanEvent['type']>(
  events: readonly TongbanEvent[],
  type: Type,
): EventOf<Type>[] {
  return events.filter((event): event is EventOf<Type> => event.type === type);
}

type ItemActionType = 'claim' | 'release' | 'approve' | 'reject' | 'request_supplements';

function itemAction(type: ItemActionType, itemId: string, reviewer = REVIEWER, seconds = 10): CaseAction {
  const common = { itemId, reviewer, at: at(seconds) };
  switch (type) {
    case 'claim':
    case 'release':
      return { type, ...common };
    case 'approve':
      return { type, ...common, document: DOCUMENT };
    case 'reject':
      return { type, ...common, reasonCode: 'not_eligible', reasonText: '不符合条件' };
    case 'request_supplements':
      return {
        type,
        ...common,
        requestId: '00000000-0000-4000-8000-0000000000f1',
        items: [{ materialCode: 'photo', materialName: '照片', reason: '缺少照片' }],
        responseDays: 5,
        history: [],
      };
  }
}

describe('decide: route', () => {
  it('opens one item per department, starts the clock and schedules the timers', () => {
    const decision = ok(decide({ case: undefined, items: [] }, routeAction(), policy));
    expect(decision.events).toEqual([]);
    expect(decision.changes.items.map((item) => [item.departmentId, item.role, item.state])).toEqual([
      ['440306-rsj', 'primary', 'open'],
      ['440306-ybj', 'parallel', 'open'],
    ]);
    const stored = decision.changes.case!;
    expect(stored).toMatchObject({
      caseId: CASE,
      state: 'in_review',
      clockDepartmentId: '440306-rsj',
      version: 1,
    });
    // The compressed clock counts 5 days of 100 s from the routing.
    expect(stored.clock.dueAt).toEqual(at(500));
    expect(stored.warnAt).toEqual(at(400));
    expect(decision.changes.timers).toEqual([
      {
        kind: 'schedule',
        caseId: CASE,
        routingId: ROUTING,
        fireAt: { warning: at(400), overdue: at(500), escalated: at(600) },
      },
    ]);
  });

  it('takes routing’s due instant on the calendar policy', () => {
    const decision = ok(
      decide({ case: undefined, items: [] }, routeAction({ slaDueAt: at(300) }), {
        ...policy,
        dueFromTimeLimit: false,
      }),
    );
    expect(decision.changes.case!.clock.dueAt).toEqual(at(300));
  });

  it('ignores a routing it already applied and a routing of a decided case', () => {
    const file = routed();
    expect(ok(decide(file, routeAction(), policy))).toMatchObject({
      ignored: 'routing already applied',
      events: [],
    });
    const decided: CaseFile = { ...file, case: { ...file.case!, state: 'approved' } };
    const rerouted = ok(
      decide(decided, routeAction({ routingId: '00000000-0000-4000-8000-0000000000a2' }), policy),
    );
    expect(rerouted.ignored).toBe('case already approved');
    expect(rerouted.changes).toEqual({ items: [], timers: [], requests: [] });
  });

  it('re-routes: withdraws the old items, open request and timers; the clock keeps its start', () => {
    const file = withItem(routed(), primaryOf(routed()).id, { state: 'supplement_requested' });
    const decision = ok(
      decide(
        file,
        routeAction({
          routingId: '00000000-0000-4000-8000-0000000000a2',
          routedAt: at(50),
          at: at(50),
          assignments: [{ departmentId: '440303-scjg', districtCode: '440303', role: 'primary' }],
          itemIds: ['00000000-0000-4000-8000-00000000000c'],
        }),
        policy,
      ),
    );
    const withdrawn = decision.changes.items.filter((item) => item.state === 'withdrawn');
    expect(withdrawn.map((item) => item.withdrawnReason)).toEqual(['rerouted', 'rerouted']);
    expect(decision.changes.requests).toEqual([{ kind: 'withdraw_open', caseId: CASE, at: at(50) }]);
    expect(decision.changes.timers[0]).toEqual({ kind: 'cancel', caseId: CASE });
    expect(decision.changes.case).toMatchObject({ clockDepartmentId: '440303-scjg', version: 2 });
    expect(decision.changes.case!.clock.startedAt).toEqual(T0);
  });

  it('秒批: decides the primary item and the case on arrival, without timers', () => {
    const checks = [{ check: 'materials_complete', passed: true, detail: 'all present' }];
    const decision = ok(
      decide(
        { case: undefined, items: [] },
        routeAction({
          assignments: [{ departmentId: '440306-rsj', districtCode: '440306', role: 'primary' }],
          itemIds: ['00000000-0000-4000-8000-00000000000a'],
          auto: { eligible: true, passed: true, checks },
          document: DOCUMENT,
        }),
        policy,
      ),
    );
    expect(decision.changes.items).toEqual([
      expect.objectContaining({
        state: 'approved',
        origin: 'auto',
        decidedBy: AUTO_ACTOR,
        document: DOCUMENT,
        autoChecks: checks,
      }),
    ]);
    expect(decision.changes.case).toMatchObject({
      state: 'approved',
      outcome: 'approved',
      origin: 'auto',
      resultDocument: DOCUMENT,
    });
    expect(decision.changes.timers).toEqual([{ kind: 'cancel', caseId: CASE }]);
    const [decided] = ofType(decision.events, 'case.decided');
    expect(decided!.payload).toMatchObject({ outcome: 'approved', origin: 'auto', autoChecks: checks });
  });

  it('秒批 with parallel departments: the primary is decided, the case waits with its timers', () => {
    const decision = ok(
      decide(
        { case: undefined, items: [] },
        routeAction({ auto: { eligible: true, passed: true, checks: [] }, document: DOCUMENT }),
        policy,
      ),
    );
    expect(decision.events).toEqual([]);
    expect(decision.changes.case!.state).toBe('in_review');
    expect(decision.changes.timers[0]).toMatchObject({ kind: 'schedule' });
  });

  it('a failed 秒批 check leaves the item open with the checks recorded', () => {
    const checks = [{ check: 'applicant_age', passed: false, detail: 'age 11' }];
    const decision = ok(
      decide(
        { case: undefined, items: [] },
        routeAction({ auto: { eligible: true, passed: false, checks } }),
        policy,
      ),
    );
    expect(decision.changes.items[0]).toMatchObject({ state: 'open', autoChecks: checks });
  });
});

describe('decide: every item action in every item state', () => {
  const expected: Record<ItemActionType, Partial<Record<WorkItemState, string>>> = {
    // The refusal of each state the action is not allowed in; absent: allowed.
    claim: {
      approved: 'the item has already been decided (approved)',
      rejected: 'the item has already been decided (rejected)',
      withdrawn: 'the item has been withdrawn',
    },
    release: {},
    approve: {
      supplement_requested: 'the item is waiting for the applicant’s supplement',
      approved: 'the item has already been decided (approved)',
      rejected: 'the item has already been decided (rejected)',
      withdrawn: 'the item has been withdrawn',
    },
    reject: {},
    request_supplements: {},
  };
  expected.reject = expected.approve;
  expected.request_supplements = expected.approve;

  for (const type of Object.keys(expected) as ItemActionType[]) {
    for (const state of WORK_ITEM_STATES) {
      const refusal = expected[type][state];
      it(`${type} on a claimed ${state} item: ${refusal ? `409 “${refusal}”` : 'allowed'}`, () => {
        const file = routed();
        const item = primaryOf(file);
        const decision = decide(
          withItem(file, item.id, { state, claimedBy: REVIEWER.sub }),
          itemAction(type, item.id),
          policy,
        );
        if (refusal)
          expect(decision).toEqual({
            ok: false,
            refusal: { kind: 'conflict', message: refusal, detail: { state } },
          });
        else expect(decision.ok).toBe(true);
      });
    }
  }

  it('refuses an item the case does not have (404)', () => {
    expect(decide(routed(), itemAction('claim', '00000000-0000-4000-8000-0000000000ff'), policy)).toEqual({
      ok: false,
      refusal: { kind: 'not_found' },
    });
  });
});

describe('decide: claims', () => {
  it('claims a free item; claiming again changes nothing; another reviewer gets 409', () => {
    const file = routed();
    const item = primaryOf(file);
    const claimed = ok(decide(file, itemAction('claim', item.id), policy));
    expect(claimed.changes.items).toEqual([
      expect.objectContaining({ claimedBy: REVIEWER.sub, claimedAt: at(10), version: 2 }),
    ]);
    const held = applied(file, claimed);
    expect(ok(decide(held, itemAction('claim', item.id), policy)).changes.items).toEqual([]);
    expect(decide(held, itemAction('claim', item.id, OTHER), policy)).toEqual({
      ok: false,
      refusal: {
        kind: 'conflict',
        message: 'the item is claimed by another reviewer',
        detail: { claimedBy: REVIEWER.sub },
      },
    });
  });

  it('releases: the holder or a supervisor; someone else gets 409; a free item is a no-op', () => {
    const file = routed();
    const item = primaryOf(file);
    expect(ok(decide(file, itemAction('release', item.id), policy)).changes.items).toEqual([]);
    const held = withItem(file, item.id, { claimedBy: REVIEWER.sub, claimedAt: T0 });
    expect(decide(held, itemAction('release', item.id, OTHER), policy).ok).toBe(false);
    for (const by of [REVIEWER, SUPERVISOR])
      expect(ok(decide(held, itemAction('release', item.id, by), policy)).changes.items).toEqual([
        expect.objectContaining({ claimedBy: null, claimedAt: null }),
      ]);
  });

  it('approve, reject and supplements need the caller’s claim', () => {
    const file = routed();
    const item = primaryOf(file);
    for (const type of ['approve', 'reject', 'request_supplements'] as const) {
      expect(decide(file, itemAction(type, item.id), policy)).toEqual({
        ok: false,
        refusal: { kind: 'conflict', message: 'claim the item before acting on it', detail: {} },
      });
      const other = withItem(file, item.id, { claimedBy: OTHER.sub });
      expect(decide(other, itemAction(type, item.id), policy)).toMatchObject({
        ok: false,
        refusal: { message: 'the item is claimed by another reviewer', detail: { claimedBy: OTHER.sub } },
      });
    }
  });
});

describe('decide: 并联审批', () => {
  const claimedBoth = () => {
    const file = routed();
    return withItem(withItem(file, primaryOf(file).id, { claimedBy: REVIEWER.sub }), parallelOf(file).id, {
      claimedBy: REVIEWER.sub,
    });
  };

  it('approves the case only when every department approved, with every department’s document', () => {
    const file = claimedBoth();
    const first = ok(decide(file, itemAction('approve', primaryOf(file).id), policy));
    expect(first.events).toEqual([]);
    expect(first.changes.case).toBeUndefined();
    const ybjDocument = {
      ...DOCUMENT,
      number: '440306-ybj-20261123-00007',
      title: '医保登记 准予办理决定书',
      departmentId: '440306-ybj',
    };
    const second = ok(
      decide(
        applied(file, first),
        { ...itemAction('approve', parallelOf(file).id, REVIEWER, 20), document: ybjDocument } as CaseAction,
        policy,
      ),
    );
    expect(second.changes.case).toMatchObject({
      state: 'approved',
      outcome: 'approved',
      origin: 'reviewer',
      warnAt: null,
      version: 2,
    });
    expect(second.changes.timers).toEqual([{ kind: 'cancel', caseId: CASE }]);
    expect(second.changes.requests).toEqual([{ kind: 'withdraw_open', caseId: CASE, at: at(20) }]);
    const [decided] = ofType(second.events, 'case.decided');
    expect(decided!.payload.departmentDecisions.map((d) => d.departmentId)).toEqual([
      '440306-rsj',
      '440306-ybj',
    ]);
    expect(decided!.payload.resultDocument).toEqual(DOCUMENT);
    expect(decided!.payload.resultDocuments).toEqual([DOCUMENT, ybjDocument]);
  });

  it('the first rejection rejects the case and withdraws the departments still working', () => {
    const file = claimedBoth();
    const decision = ok(decide(file, itemAction('reject', primaryOf(file).id), policy));
    expect(decision.changes.items).toEqual([
      expect.objectContaining({ departmentId: '440306-rsj', state: 'rejected', reasonCode: 'not_eligible' }),
      expect.objectContaining({
        departmentId: '440306-ybj',
        state: 'withdrawn',
        withdrawnReason: 'parallel_rejection',
        origin: 'system',
        decidedBy: SYSTEM_ACTOR,
      }),
    ]);
    const [decided] = ofType(decision.events, 'case.decided');
    expect(decided!.payload).toMatchObject({
      outcome: 'rejected',
      rejection: { reasonCode: 'not_eligible', text: '不符合条件' },
    });
  });
});

describe('decide: 一次性告知 and the clock', () => {
  const request = (file: CaseFile): SupplementRequest => ({
    requestId: '00000000-0000-4000-8000-0000000000f1',
    caseId: CASE,
    workItemId: primaryOf(file).id,
    departmentId: '440306-rsj',
    round: 1,
    items: [],
    requestedBy: REVIEWER.actor,
    requestedAt: at(100),
    dueAt: at(600),
    answeredAt: null,
    answeredMaterials: null,
    withdrawnAt: null,
  });

  it('a request pauses the clock and its timers and announces the round', () => {
    const file = withItem(routed(), primaryOf(routed()).id, { claimedBy: REVIEWER.sub });
    const decision = ok(
      decide(file, itemAction('request_supplements', primaryOf(file).id, REVIEWER, 100), policy),
    );
    expect(decision.changes.case).toMatchObject({ supplementRound: 1, warnAt: null });
    expect(decision.changes.case!.clock.pausedAt).toEqual(at(100));
    expect(decision.changes.timers).toEqual([{ kind: 'pause', routingId: ROUTING }]);
    expect(decision.changes.requests[0]).toMatchObject({
      kind: 'insert',
      request: { round: 1, dueAt: at(600) },
    });
    expect(decision.events.map((event) => event.type)).toEqual(['case.supplement-requested', 'case.sla']);
  });

  it('refuses a second list while a round is open, and unchanged materials in a later round', () => {
    const file = withItem(routed(), primaryOf(routed()).id, { claimedBy: REVIEWER.sub });
    const open = {
      departmentId: '440306-ybj',
      round: 1,
      answered: false,
      withdrawn: false,
      answeredMaterials: [],
    };
    const action = (history: PriorRequest[]) => ({
      ...(itemAction('request_supplements', primaryOf(file).id) as Extract<
        CaseAction,
        { type: 'request_supplements' }
      >),
      history,
    });
    expect(decide(file, action([open]), policy)).toMatchObject({
      ok: false,
      refusal: { detail: { round: 1, departmentId: '440306-ybj' } },
    });
    const answered = { ...open, departmentId: '440306-rsj', answered: true, answeredMaterials: ['id_card'] };
    expect(decide(file, action([answered]), policy)).toMatchObject({
      ok: false,
      refusal: { detail: { issues: [{ field: 'items.0.materialCode' }] } },
    });
  });

  it('the answer resumes the clock from the hand-in, reopens the item and takes the materials', () => {
    const start = withItem(routed(), primaryOf(routed()).id, { claimedBy: REVIEWER.sub });
    const paused = applied(
      start,
      decide(start, itemAction('request_supplements', primaryOf(start).id, REVIEWER, 100), policy),
    );
    const decision = ok(
      decide(
        paused,
        {
          type: 'supplement',
          request: request(paused),
          materials: [{ code: 'photo', name: '照片' }],
          answeredAt: at(300),
          at: at(310),
        },
        policy,
      ),
    );
    expect(decision.changes.items).toEqual([expect.objectContaining({ state: 'open' })]);
    // 400 s were left at the pause; resumed at the hand-in (300 s).
    expect(decision.changes.case!.clock).toMatchObject({ pausedAt: null, dueAt: at(700) });
    expect(decision.changes.case!.snapshot.missingMaterials).toEqual([]);
    expect(decision.changes.requests).toEqual([
      { kind: 'answer', requestId: request(paused).requestId, answeredAt: at(300), materials: ['photo'] },
    ]);
    const [resumed] = ofType(decision.events, 'case.sla');
    expect(resumed!.payload).toMatchObject({ kind: 'resumed', dueAt: at(700).toISOString() });
  });

  it('an answer to a withdrawn request only records the materials', () => {
    const file = routed();
    const decision = ok(
      decide(
        file,
        {
          type: 'supplement',
          request: { ...request(file), withdrawnAt: at(5) },
          materials: [],
          answeredAt: at(6),
          at: at(6),
        },
        policy,
      ),
    );
    expect(decision.events).toEqual([]);
    expect(decision.changes.items).toEqual([]);
    expect(decision.changes.requests).toHaveLength(1);
  });

  it('ignores an answer for an unknown case, or a request unknown or answered', () => {
    const file = routed();
    expect(
      ok(
        decide(
          { case: undefined, items: [] },
          { type: 'supplement', request: undefined, materials: [], answeredAt: T0, at: T0 },
          policy,
        ),
      ).ignored,
    ).toMatch(/does not know/);
    for (const known of [undefined, { ...request(file), answeredAt: T0 }])
      expect(
        ok(
          decide(file, { type: 'supplement', request: known, materials: [], answeredAt: T0, at: T0 }, policy),
        ).ignored,
      ).toMatch(/unknown or answered/);
  });
});

describe('decide: SLA timers', () => {
  it('emits one case.sla per department still working, primary first; escalation marks the items', () => {
    const file = routed();
    const warning = ok(
      decide(file, { type: 'fire_timer', kind: 'warning', routingId: ROUTING, at: at(400) }, policy),
    );
    expect(
      ofType(warning.events, 'case.sla').map((event) => [
        event.payload.departmentId,
        event.payload.usedShare,
      ]),
    ).toEqual([
      ['440306-rsj', 0.8],
      ['440306-ybj', 0.8],
    ]);
    expect(warning.changes.items).toEqual([]);
    const escalated = ok(
      decide(file, { type: 'fire_timer', kind: 'escalated', routingId: ROUTING, at: at(600) }, policy),
    );
    expect(escalated.changes.items.map((item) => item.escalatedAt)).toEqual([at(600), at(600)]);
    expect(ofType(escalated.events, 'case.sla')[0]!.payload).toMatchObject({ escalatedToRole: 'supervisor' });
  });

  it('a decided case or a superseded routing fires nothing', () => {
    const file = routed();
    const ignored = (candidate: CaseFile, routingId: string) =>
      ok(decide(candidate, { type: 'fire_timer', kind: 'overdue', routingId, at: at(500) }, policy));
    expect(ignored(file, '00000000-0000-4000-8000-0000000000a9').events).toEqual([]);
    expect(
      ignored({ ...file, case: { ...(file.case as ApprovalCase), state: 'rejected' } }, ROUTING).events,
    ).toEqual([]);
  });
});
