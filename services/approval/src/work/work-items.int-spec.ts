import { PiiCipher } from '@tongban/pii';
import {
  type CaseSnapshotV2,
  parseEventOf,
  TOPICS,
  type EventOf,
  type EventType,
  type TongbanEvent,
} from '@tongban/contracts';
import { type BootedService, bootService } from '@tongban/service-testing';
import {
  connectTestProducer,
  expectEventually,
  recordTopics,
  sampleEvent,
  type TopicRecorder,
} from '@tongban/testing';
import type { Producer } from 'kafkajs';
import { approvalService } from '../approval.service-definition';
import type { ApprovalConfig } from '../config/approval-config';
import { personCase, routedEvent, supplementedEvent } from '../testing/routed-events';

const RSJ = 'reviewer-rsj'; // 宝安区人力资源局 440306-rsj
const RSJ_SUPERVISOR = 'reviewer-rsj-supervisor';
const YBJ = 'reviewer-ybj'; // 医疗保障局宝安分局 440306-ybj
const SCJG = 'reviewer-scjg'; // 罗湖 市场监管 440303-scjg
const USERS = [RSJ, RSJ_SUPERVISOR, YBJ, SCJG, 'staff-xinan', 'courier-01', 'operator'];

interface Item {
  id: string;
  caseId: string;
  departmentId: string;
  state: string;
  claimedBy: string | null;
  dueAt: string;
  autoChecks: { check: string; passed: boolean }[] | null;
  decision: { outcome: string; origin: string; document: { number: string } | null } | null;
  withdrawnReason: string | null;
}

describe('approval: department queues and decisions', () => {
  let service: BootedService<ApprovalConfig>;
  let recorder: TopicRecorder;
  let producer: Producer;
  const tokens: Record<string, string> = {};

  async function call(method: 'GET' | 'POST', path: string, user?: string, body?: unknown) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  async function publish(event: TongbanEvent): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  /** The case's work items, once approval has consumed its routing. */
  async function itemsOf(caseId: string, count = 1): Promise<Item[]> {
    return expectEventually(
      async () => {
        const rows = (await service.dataSource.query(
          `SELECT id, department_id FROM work_items WHERE case_id = $1 ORDER BY role DESC, department_id`,
          [caseId],
        )) as { id: string; department_id: string }[];
        expect(rows).toHaveLength(count);
        return rows.map((row) => ({ id: row.id, departmentId: row.department_id }) as Item);
      },
      { timeoutMs: 20000 },
    );
  }

  async function item(id: string, user: string): Promise<Item> {
    const answer = await call('GET', `/work-items/${id}`, user);
    expect(answer.status).toBe(200);
    return answer.body as unknown as Item;
  }

  function recorded<Type extends EventType>(type: Type, caseId: string): EventOf<Type>[] {
    return recorder.messages
      .filter((message) => message.topic === type && message.key === caseId)
      .map((message) => parseEventOf(type, JSON.parse(message.value)));
  }

  async function outboxCount(caseId: string, topic: string): Promise<number> {
    const [row] = (await service.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND topic = $2`,
      [caseId, topic],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  async function routedItem(options: Parameters<typeof routedEvent>[0] = {}) {
    const event = routedEvent(options);
    await publish(event);
    const items = await itemsOf(event.caseId, options.departments?.length ?? 1);
    return { event, caseId: event.caseId, items };
  }

  beforeAll(async () => {
    service = await bootService(approvalService);
    for (const user of USERS) tokens[user] = await service.tokenFor(user);
    recorder = await recordTopics([TOPICS.caseDecided, TOPICS.caseSupplementRequested, TOPICS.caseSla]);
    producer = await connectTestProducer();
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    await service?.close();
  });

  it('opens the applicant’s sealed name for a reviewer of the department only, and audits every opening', async () => {
    const v1 = personCase();
    if (v1.applicant.kind !== 'person') throw new Error('personCase() is a person');
    const sealed: CaseSnapshotV2 = {
      ...v1,
      delivery: { method: 'pickup', officeId: '440306001' },
      applicant: {
        kind: 'person',
        idNumber: v1.applicant.idNumber,
        phone: v1.applicant.phone,
        householdDistrict: v1.applicant.householdDistrict,
        name: { ciphertext: service.app.get(PiiCipher).encrypt('封存申请人'), masked: '封****' },
        ageBand: '18-59',
      },
    };
    const { items, caseId } = await routedItem({ case: sealed });
    const id = items[0]!.id;
    const view = await call('GET', `/work-items/${id}`, RSJ);
    expect(view.body['case']).toMatchObject({ applicant: { name: '封****' } });
    expect(JSON.stringify(view.body)).not.toContain('封存申请人');

    const opened = await call('GET', `/work-items/${id}/applicant`, RSJ);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ kind: 'person', name: '封存申请人' });
    expect((await call('GET', `/work-items/${id}/applicant`, YBJ)).status).toBe(404);
    expect((await call('GET', `/work-items/${id}/applicant`, 'operator')).status).toBe(403);
    const reads = (await service.dataSource.query(
      `SELECT actor_sub, detail FROM audit_log WHERE object_id = $1 AND action = 'work-item.read-applicant'`,
      [id],
    )) as { actor_sub: string; detail: { caseId: string } }[];
    expect(reads).toEqual([{ actor_sub: expect.stringMatching(/^reviewer-rsj/), detail: { caseId } }]);
  });

  it('turns a routed case into a work item in the department queue, sorted by due time', async () => {
    const later = await routedItem({ slaDueAt: new Date(Date.now() + 9 * 86_400_000) });
    const sooner = await routedItem({ slaDueAt: new Date(Date.now() + 3 * 86_400_000) });
    const queue = await call('GET', '/work-items?limit=100', RSJ);
    expect(queue.status).toBe(200);
    const ids = (queue.body['items'] as Item[]).map((entry) => entry.id);
    expect(ids.indexOf(sooner.items[0]!.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(sooner.items[0]!.id)).toBeLessThan(ids.indexOf(later.items[0]!.id));
    const dues = (queue.body['items'] as Item[]).map((entry) => entry.dueAt);
    expect([...dues].sort()).toEqual(dues);

    const detail = await item(sooner.items[0]!.id, RSJ);
    expect(detail).toMatchObject({ state: 'open', departmentId: '440306-rsj', claimedBy: null });
    expect(JSON.stringify(detail)).not.toContain('ciphertext');

    // Cursor pages walk the same order without repeats.
    const first = await call('GET', '/work-items?limit=1', RSJ);
    const second = await call('GET', `/work-items?limit=1&cursor=${String(first.body['nextCursor'])}`, RSJ);
    expect(second.status).toBe(200);
    expect((second.body['items'] as Item[])[0]!.id).not.toBe((first.body['items'] as Item[])[0]!.id);
    expect((await call('GET', '/work-items?cursor=garbage', RSJ)).status).toBe(400);
  });

  it('consumes the published case.routed fixture (as the boot spec sends it) into a reviewer’s queue', async () => {
    const event = sampleEvent('case.routed');
    await publish(event);
    const [entry] = await itemsOf(event.caseId);
    // Its 秒批 item lacks a material the checks need, so it waits for a reviewer.
    expect(await item(entry!.id, RSJ)).toMatchObject({ state: 'open', departmentId: '440306-rsj' });
    const [processed] = (await service.dataSource.query(
      `SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1`,
      [event.eventId],
    )) as { n: number }[];
    expect(processed!.n).toBe(1);
  });

  it('scopes every route to the caller’s department: 404 for another department’s item, 403 for other roles', async () => {
    const { items } = await routedItem();
    const id = items[0]!.id;
    expect((await call('GET', `/work-items/${id}`, SCJG)).status).toBe(404);
    for (const action of ['claim', 'release', 'approve', 'reject', 'supplement-requests']) {
      const body =
        action === 'reject'
          ? { reasonCode: 'other', text: 'x' }
          : action === 'supplement-requests'
            ? { items: [{ materialCode: 'photo', reason: 'x' }] }
            : {};
      expect({
        action,
        status: (await call('POST', `/work-items/${id}/${action}`, SCJG, body)).status,
      }).toEqual({
        action,
        status: 404,
      });
      for (const user of ['staff-xinan', 'courier-01', 'operator']) {
        expect({
          action,
          user,
          status: (await call('POST', `/work-items/${id}/${action}`, user, body)).status,
        }).toEqual({ action, user, status: 403 });
      }
    }
    for (const user of ['staff-xinan', 'courier-01']) {
      expect((await call('GET', '/work-items', user)).status).toBe(403);
      expect((await call('GET', `/work-items/${id}`, user)).status).toBe(403);
    }
    expect((await call('GET', '/work-items', undefined)).status).toBe(401);
    const other = await call('GET', '/work-items?limit=100', SCJG);
    expect((other.body['items'] as Item[]).map((entry) => entry.id)).not.toContain(id);
    // Operators watch every department, read-only.
    expect((await call('GET', `/work-items/${id}`, 'operator')).status).toBe(200);
    expect((await item(id, RSJ)).state).toBe('open');
  });

  it('lets one reviewer at a time hold an item; a supervisor may release it', async () => {
    const { items } = await routedItem();
    const id = items[0]!.id;
    expect((await call('POST', `/work-items/${id}/approve`, RSJ, {})).status).toBe(409); // claim first
    expect((await call('POST', `/work-items/${id}/claim`, RSJ)).status).toBe(200);
    expect((await call('POST', `/work-items/${id}/claim`, RSJ)).status).toBe(200);
    const taken = await call('POST', `/work-items/${id}/claim`, RSJ_SUPERVISOR);
    expect(taken.status).toBe(409);
    expect(taken.body['claimedBy']).toBe('reviewer-rsj');
    expect((await call('POST', `/work-items/${id}/approve`, RSJ_SUPERVISOR, {})).status).toBe(409);
    expect((await call('POST', `/work-items/${id}/release`, RSJ_SUPERVISOR)).status).toBe(200);
    expect((await call('POST', `/work-items/${id}/claim`, RSJ_SUPERVISOR)).status).toBe(200);
    expect((await call('POST', `/work-items/${id}/release`, RSJ)).status).toBe(409);
    expect((await item(id, RSJ)).claimedBy).toBe('reviewer-rsj-supervisor');
    const audit = (await service.dataSource.query(
      `SELECT actor_sub, action FROM audit_log WHERE object_id = $1 ORDER BY id`,
      [id],
    )) as { actor_sub: string; action: string }[];
    expect(audit).toEqual([
      { actor_sub: 'reviewer-rsj', action: 'work-item.claim' },
      { actor_sub: 'reviewer-rsj-supervisor', action: 'work-item.release' },
      { actor_sub: 'reviewer-rsj-supervisor', action: 'work-item.claim' },
    ]);
  });

  it('makes exactly one decision out of concurrent approvals, with one case.decided', async () => {
    const { caseId, items } = await routedItem();
    const id = items[0]!.id;
    expect((await call('POST', `/work-items/${id}/claim`, RSJ)).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('POST', `/work-items/${id}/approve`, RSJ, { remarks: '材料齐全', paperNoticeRequested: true }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = answers.find((answer) => answer.status === 200)!;
    expect(winner.body).toMatchObject({ state: 'approved', caseOutcome: 'approved' });
    const number = (winner.body['document'] as { number: string }).number;
    expect(number).toMatch(/^440306-rsj-\d{8}-\d{5}$/);

    const [decided] = await expectEventually(() => {
      const events = recorded('case.decided', caseId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(decided!.payload).toMatchObject({
      outcome: 'approved',
      origin: 'reviewer',
      resultDocument: { number, departmentId: '440306-rsj' },
      paperNoticeRequested: true,
      departmentDecisions: [
        {
          departmentId: '440306-rsj',
          outcome: 'approved',
          origin: 'reviewer',
          decidedBy: { sub: 'reviewer-rsj' },
        },
      ],
    });
    expect(await outboxCount(caseId, 'case.decided')).toBe(1);
    expect(
      (await call('POST', `/work-items/${id}/reject`, RSJ, { reasonCode: 'other', text: '晚了' })).status,
    ).toBe(409);
  });

  it('rejects with a reason code and text; a bad body is a 400 naming the field and changes nothing', async () => {
    const { caseId, items } = await routedItem();
    const id = items[0]!.id;
    await call('POST', `/work-items/${id}/claim`, RSJ);
    const bad = await call('POST', `/work-items/${id}/reject`, RSJ, { reasonCode: 'because', text: '' });
    expect(bad.status).toBe(400);
    expect((bad.body['issues'] as { field: string }[]).map((issue) => issue.field).sort()).toEqual([
      'reasonCode',
      'text',
    ]);
    expect((await item(id, RSJ)).state).toBe('open');
    const rejected = await call('POST', `/work-items/${id}/reject`, RSJ, {
      reasonCode: 'not_eligible',
      text: '申请人不符合社会保障卡申领条件',
    });
    expect(rejected.status).toBe(200);
    const [decided] = await expectEventually(() => {
      const events = recorded('case.decided', caseId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(decided!.payload).toMatchObject({
      outcome: 'rejected',
      rejection: { reasonCode: 'not_eligible', text: '申请人不符合社会保障卡申领条件' },
    });
    expect(decided!.payload.resultDocument).toBeUndefined();
  });

  it('asks for every material at once (一次性告知), pauses the clock, and resumes it on case.supplemented', async () => {
    const { caseId, items } = await routedItem({
      case: personCase({ materials: [{ code: 'id_card', name: '居民身份证' }], missingMaterials: ['photo'] }),
    });
    const id = items[0]!.id;
    await call('POST', `/work-items/${id}/claim`, RSJ);
    const unknown = await call('POST', `/work-items/${id}/supplement-requests`, RSJ, {
      items: [{ materialCode: 'passport', reason: '需要护照' }],
    });
    expect(unknown.status).toBe(400);
    const requested = await call('POST', `/work-items/${id}/supplement-requests`, RSJ, {
      items: [
        { materialCode: 'photo', reason: '缺少近期免冠照片' },
        { materialCode: 'id_card', reason: '身份证复印件不清晰' },
      ],
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ round: 1 });
    const requestId = requested.body['requestId'] as string;
    // A second request in the same round is refused.
    const again = await call('POST', `/work-items/${id}/supplement-requests`, RSJ, {
      items: [{ materialCode: 'guardian_id_card', reason: '又发现缺少监护人身份证' }],
    });
    expect(again.status).toBe(409);
    expect((await item(id, RSJ)).state).toBe('supplement_requested');

    const [request] = await expectEventually(() => {
      const events = recorded('case.supplement-requested', caseId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(request!.payload).toMatchObject({
      requestId,
      departmentId: '440306-rsj',
      round: 1,
      items: [
        { materialCode: 'photo', materialName: expect.any(String), reason: '缺少近期免冠照片' },
        { materialCode: 'id_card', materialName: expect.any(String), reason: '身份证复印件不清晰' },
      ],
      requestedBy: { sub: 'reviewer-rsj', role: 'reviewer', departmentId: '440306-rsj' },
    });
    await expectEventually(() =>
      expect(recorded('case.sla', caseId).map((event) => event.payload.kind)).toEqual(['paused']),
    );
    const [paused] = (await service.dataSource.query(
      `SELECT paused_at, due_at FROM approval_cases WHERE case_id = $1`,
      [caseId],
    )) as { paused_at: Date | null; due_at: Date }[];
    expect(paused!.paused_at).not.toBeNull();

    // The applicant hands in the photo and a new copy of the ID card (intake answers the request).
    await publish(
      supplementedEvent(caseId, { requestId, departmentId: '440306-rsj', round: 1 }, [
        { code: 'photo', name: '近期免冠照片' },
        { code: 'id_card', name: '居民身份证' },
      ]),
    );
    await expectEventually(async () => expect((await item(id, RSJ)).state).toBe('open'));
    await expectEventually(() =>
      expect(recorded('case.sla', caseId).map((event) => event.payload.kind)).toEqual(['paused', 'resumed']),
    );
    const [resumed] = (await service.dataSource.query(
      `SELECT paused_at, due_at, snapshot FROM approval_cases WHERE case_id = $1`,
      [caseId],
    )) as { paused_at: Date | null; due_at: Date; snapshot: { missingMaterials: string[] } }[];
    expect(resumed!.paused_at).toBeNull();
    expect(resumed!.due_at.getTime()).toBeGreaterThanOrEqual(paused!.due_at.getTime());
    expect(resumed!.snapshot.missingMaterials).toEqual([]);

    // Round 2 may only ask about what the applicant changed: not the guardian's ID card.
    const unchanged = await call('POST', `/work-items/${id}/supplement-requests`, RSJ, {
      items: [
        { materialCode: 'photo', reason: '照片仍不合格' },
        { materialCode: 'guardian_id_card', reason: '缺少监护人身份证' },
      ],
    });
    expect(unchanged.status).toBe(409);
    expect(unchanged.body['issues']).toEqual([
      { field: 'items.1.materialCode', reason: expect.stringContaining('guardian_id_card') },
    ]);
    const round2 = await call('POST', `/work-items/${id}/supplement-requests`, RSJ, {
      items: [{ materialCode: 'photo', reason: '照片背景颜色不符合要求' }],
    });
    expect(round2.status).toBe(201);
    expect(round2.body['round']).toBe(2);
  });

  it('approves a 秒批 case with no human step, recording the checks it evaluated', async () => {
    const { caseId, items } = await routedItem({
      case: personCase({ itemCode: 'RS-JYCYZ-004', materials: [{ code: 'id_card', name: '居民身份证' }] }),
    });
    const [decided] = await expectEventually(() => {
      const events = recorded('case.decided', caseId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(decided!.payload).toMatchObject({
      outcome: 'approved',
      origin: 'auto',
      departmentDecisions: [
        { departmentId: '440306-rsj', outcome: 'approved', origin: 'auto', decidedBy: { role: 'system' } },
      ],
      resultDocument: { departmentId: '440306-rsj', number: expect.stringMatching(/^440306-rsj-/) },
      autoChecks: [
        { check: 'materials_complete', passed: true },
        { check: 'material_present', passed: true },
        { check: 'applicant_age', passed: true },
      ],
    });
    expect((await item(items[0]!.id, RSJ)).decision).toMatchObject({ outcome: 'approved', origin: 'auto' });
    // No timers for a decided case.
    const timers = (await service.dataSource.query(
      `SELECT state FROM sla_timers WHERE case_id = $1 AND state IN ('pending', 'paused')`,
      [caseId],
    )) as unknown[];
    expect(timers).toEqual([]);

    // A 秒批 item whose checks fail goes to a reviewer, with the failed check shown.
    const young = await routedItem({
      case: personCase({
        itemCode: 'RS-JYCYZ-004',
        applicant: { ...(personCase().applicant as object), birthDate: '2015-01-01' } as never,
      }),
    });
    const queued = await item(young.items[0]!.id, RSJ);
    expect(queued.state).toBe('open');
    expect(queued.autoChecks?.find((check) => check.check === 'applicant_age')?.passed).toBe(false);
  });

  it('并联审批: approves only when every department approved', async () => {
    const { caseId, items } = await routedItem({ departments: ['440306-rsj', '440306-ybj'] });
    const [rsj, ybj] = items;
    await call('POST', `/work-items/${rsj!.id}/claim`, RSJ);
    const first = await call('POST', `/work-items/${rsj!.id}/approve`, RSJ, {});
    expect(first.body).toMatchObject({ state: 'approved', caseOutcome: 'pending' });
    expect(await outboxCount(caseId, 'case.decided')).toBe(0);
    // Each department sees only its own part.
    expect((await call('GET', `/work-items/${ybj!.id}`, RSJ)).status).toBe(404);
    await call('POST', `/work-items/${ybj!.id}/claim`, YBJ);
    const second = await call('POST', `/work-items/${ybj!.id}/approve`, YBJ, {});
    expect(second.body).toMatchObject({ state: 'approved', caseOutcome: 'approved' });
    const [decided] = await expectEventually(() => {
      const events = recorded('case.decided', caseId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(decided!.payload.departmentDecisions.map((d) => d.departmentId)).toEqual([
      '440306-rsj',
      '440306-ybj',
    ]);
    expect(decided!.payload.resultDocument?.departmentId).toBe('440306-rsj');
  });

  it('并联审批: a supplement request pauses the case clock; the first rejection rejects and withdraws the rest', async () => {
    const { caseId, items } = await routedItem({ departments: ['440306-rsj', '440306-ybj'] });
    const [rsj, ybj] = items;
    await call('POST', `/work-items/${rsj!.id}/claim`, RSJ);
    expect(
      (
        await call('POST', `/work-items/${rsj!.id}/supplement-requests`, RSJ, {
          items: [{ materialCode: 'photo', reason: '缺少照片' }],
        })
      ).status,
    ).toBe(201);
    const [clock] = (await service.dataSource.query(
      `SELECT paused_at FROM approval_cases WHERE case_id = $1`,
      [caseId],
    )) as { paused_at: Date | null }[];
    expect(clock!.paused_at).not.toBeNull();
    // The other department cannot open a second request in the same round.
    await call('POST', `/work-items/${ybj!.id}/claim`, YBJ);
    expect(
      (
        await call('POST', `/work-items/${ybj!.id}/supplement-requests`, YBJ, {
          items: [{ materialCode: 'id_card', reason: '不清晰' }],
        })
      ).status,
    ).toBe(409);
    const rejected = await call('POST', `/work-items/${ybj!.id}/reject`, YBJ, {
      reasonCode: 'not_eligible',
      text: '医保参保状态异常',
    });
    expect(rejected.body).toMatchObject({ state: 'rejected', caseOutcome: 'rejected' });
    expect(await item(rsj!.id, RSJ)).toMatchObject({
      state: 'withdrawn',
      withdrawnReason: 'parallel_rejection',
    });
    const [decided] = await expectEventually(() => {
      const events = recorded('case.decided', caseId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(decided!.payload).toMatchObject({
      outcome: 'rejected',
      departmentDecisions: [{ departmentId: '440306-ybj', outcome: 'rejected' }],
      rejection: { reasonCode: 'not_eligible' },
    });
  });

  it('withdraws the old items when a re-route supersedes the routing', async () => {
    const { event, caseId, items } = await routedItem();
    const reroute = routedEvent({
      caseId,
      departments: ['440306-ybj'],
      supersedesRoutingId: event.payload.routingId,
    });
    await publish(reroute);
    await expectEventually(async () =>
      expect(await item(items[0]!.id, RSJ)).toMatchObject({
        state: 'withdrawn',
        withdrawnReason: 'rerouted',
      }),
    );
    const queue = await call('GET', '/work-items?limit=100', YBJ);
    expect((queue.body['items'] as Item[]).some((entry) => entry.caseId === caseId)).toBe(true);
    const timers = (await service.dataSource.query(
      `SELECT routing_id, state FROM sla_timers WHERE case_id = $1 AND state = 'pending'`,
      [caseId],
    )) as { routing_id: string }[];
    expect(new Set(timers.map((timer) => timer.routing_id))).toEqual(new Set([reroute.payload.routingId]));
  });

  it('reports queues, decisions by origin and SLA events on /metrics', async () => {
    const text = await (await fetch(service.metricsUrl)).text();
    expect(text).toMatch(/tongban_approval_queue_size\{[^}]*department="440306-rsj"[^}]*\} [1-9]/);
    expect(text).toMatch(/tongban_approval_queue_oldest_age_seconds\{[^}]*department="440306-rsj"/);
    expect(text).toMatch(/tongban_approval_decisions_total\{[^}]*origin="auto"[^}]*\} [1-9]/);
    expect(text).toMatch(/tongban_approval_decisions_total\{[^}]*origin="reviewer"[^}]*\} [1-9]/);
    expect(text).toMatch(/tongban_approval_time_to_decision_seconds_count\{[^}]*origin="auto"/);
    expect(text).toMatch(/tongban_sla_events_total\{[^}]*kind="paused"/);
    // Every department has an SLA series, 0 when none of its cases is late.
    expect(text).toMatch(/tongban_sla_overdue_cases\{[^}]*department="440306-rsj"[^}]*\} \d+/);
    expect(text).toMatch(/tongban_sla_due_soon_cases\{[^}]*department="440306-rsj"[^}]*\} \d+/);
    expect(text).toMatch(/tongban_sla_overdue_cases\{[^}]*department="440303-rsj"[^}]*\} \d+/);
  });
});
