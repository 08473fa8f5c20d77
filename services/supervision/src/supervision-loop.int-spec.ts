import { randomUUID } from 'node:crypto';
import { type Actor } from '@tongban/auth';
import { parseEvent, type TongbanEvent } from '@tongban/contracts';
import { loadReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService, callService, scrapeMetric } from '@tongban/service-testing';
import {
  connectTestProducer,
  expectEventually,
  recordTopics,
  sampleEvent,
  type TopicRecorder,
} from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { SupervisionConfig } from './config/supervision-config';
import { supervisionService } from './supervision.service-definition';

const XINAN = '440306001';
// Receipts differ between runs: the per-receipt proof budget lives in the shared Redis.
const RUN = String(10000 + Math.floor(Math.random() * 90000));
const owner: Actor = { sub: 'staff-xinan', role: 'office_staff', officeId: XINAN };
const colleague: Actor = { sub: 'staff-xinan-2', role: 'office_staff', officeId: XINAN };
const reviewer: Actor = {
  sub: 'reviewer-rsj',
  role: 'reviewer',
  departmentId: '440306-rsj',
  supervisor: false,
};
const operator: Actor = { sub: 'operator', role: 'operator' };

interface Rectification {
  readonly id: string;
  readonly state: string;
  readonly dueAt: string;
  readonly overdue: boolean;
  readonly owner: { sub: string | null; role: string };
}

interface Issue {
  readonly field: string;
  readonly reason: string;
}

describe('supervision: 好差评 per stage and the 差评 closed loop', () => {
  let service: BootedService<SupervisionConfig>;
  let producer: Producer;
  let feedback: TopicRecorder;
  let sequence = 0;

  beforeAll(async () => {
    service = await bootService(supervisionService, {
      RECTIFICATION_WORKING_DAYS: '5',
      AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS: '100000',
    });
    producer = await connectTestProducer();
    feedback = await recordTopics(['case.rating-feedback']);
  });

  afterAll(async () => {
    await feedback?.stop();
    await producer?.disconnect();
    await service?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  async function publish(...events: TongbanEvent[]): Promise<void> {
    for (const event of events)
      await producer.send({
        topic: event.type,
        acks: -1,
        messages: [{ key: event.caseId, value: JSON.stringify(event) }],
      });
  }

  /** The result collected at staff-xinan's window. */
  async function handOver(caseId: string): Promise<void> {
    await publish(
      sampleEvent('delivery.updated', {
        caseId,
        payload: {
          method: 'pickup',
          state: 'collected',
          previousState: 'ready_for_pickup',
          officeId: XINAN,
          place: `office:${XINAN}`,
          courierId: undefined,
          failureReason: undefined,
          nextAttemptAt: undefined,
          actor: { sub: owner.sub, role: 'office_staff', officeId: XINAN },
        },
      }),
    );
  }

  /** A case accepted by staff-xinan, decided by reviewer-rsj and (unless `handedOver` is false) collected at the window. */
  async function completedCase(options: { handedOver?: boolean; decided?: boolean } = {}) {
    const caseId = randomUUID();
    sequence += 1;
    const receipt = `${XINAN}-20261124-${RUN}${String(sequence).padStart(2, '0')}`;
    const last4 = String(1000 + sequence);
    const submitted = sampleEvent('case.submitted', { caseId });
    const phone = { ...submitted.payload.applicant.phone, masked: `138****${last4}` };
    const snapshot = {
      ...submitted.payload,
      receiptNumber: receipt,
      applicant: { ...submitted.payload.applicant, phone },
    };
    await publish(
      sampleEvent('case.submitted', {
        caseId,
        payload: { ...snapshot, submittedBy: { sub: owner.sub, role: 'office_staff', officeId: XINAN } },
      }),
    );
    const routed = sampleEvent('case.routed', { caseId });
    await publish(
      sampleEvent('case.routed', { caseId, payload: { case: { ...routed.payload.case, ...snapshot } } }),
    );
    if (options.decided !== false) {
      const decided = sampleEvent('case.decided', { caseId });
      await publish(
        sampleEvent('case.decided', {
          caseId,
          payload: {
            case: { ...decided.payload.case, ...snapshot },
            departmentDecisions: decided.payload.departmentDecisions.map((decision) => ({
              ...decision,
              decidedBy: { sub: reviewer.sub, role: 'reviewer' as const, departmentId: '440306-rsj' },
            })),
          },
        }),
      );
    }
    if (options.handedOver !== false && options.decided !== false) await handOver(caseId);
    await expectEventually(async () => {
      const [row] = (await service.dataSource.query(
        `SELECT accepted_at, decided_at, handed_over_at FROM case_facts WHERE case_id = $1`,
        [caseId],
      )) as { accepted_at: Date | null; decided_at: Date | null; handed_over_at: Date | null }[];
      expect(row?.accepted_at).toBeTruthy();
      if (options.decided !== false) expect(row?.decided_at).toBeTruthy();
      if (options.handedOver !== false && options.decided !== false) expect(row?.handed_over_at).toBeTruthy();
    });
    return { caseId, receipt, last4 };
  }

  async function call<Body>(method: 'GET' | 'POST', path: string, actor?: Actor, body?: unknown) {
    return callService<Body>(service.baseUrl, method, path, {
      token: actor ? await service.tokenFor(actor) : undefined,
      body,
    });
  }

  const rate = (c: { receipt: string; last4: string }, stage: string, level: string, comment?: string) =>
    call<{ ratingId: string; rectification: { id: string; dueAt: string } | null; issues?: Issue[] }>(
      'POST',
      '/ratings',
      undefined,
      { receipt: c.receipt, phoneLast4: c.last4, stage, level, comment },
    );

  function feedbackFor(caseId: string) {
    return feedback.messages
      .filter((message) => message.key === caseId)
      .map((message) => parseEvent(JSON.parse(message.value)))
      .filter((event) => event.type === 'case.rating-feedback');
  }

  it('rates each stage once, refuses what the scheme refuses, and opens a rectification for a 差评 owned by the stage’s handler', async () => {
    const completed = await completedCase();
    const ratedAt = new Date('2026-11-27T02:00:00Z');
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(ratedAt);

    const good = await rate(completed, 'decision', 'very_satisfied');
    expect(good.status).toBe(201);
    expect(good.body.rectification).toBeNull();

    const bad = await rate(completed, 'acceptance', 'dissatisfied', '窗口让我跑了两趟，电话13800138000');
    expect(bad.status).toBe(201);
    const calendar = loadReferenceData().calendar('440306');
    expect(bad.body.rectification?.dueAt).toBe(calendar.addWorkingDays(ratedAt, 5).toISOString());

    const again = await rate(completed, 'acceptance', 'satisfied');
    expect(again.status).toBe(409);
    expect(again.body.issues).toEqual([
      { field: 'stage', reason: 'the case has already been rated for its acceptance' },
    ]);

    const outside = await rate(completed, 'acceptance', 'terrible');
    expect(outside.status).toBe(400);
    expect(outside.body.issues?.map((issue) => issue.field)).toEqual(['level']);

    const wrongPhone = await call('POST', '/ratings', undefined, {
      receipt: completed.receipt,
      phoneLast4: '0000',
      stage: 'handover',
      level: 'satisfied',
    });
    expect(wrongPhone.status).toBe(404);

    const undecided = await completedCase({ decided: false });
    const early = await rate(undecided, 'decision', 'satisfied');
    expect(early.status).toBe(409);
    expect(early.body.issues).toEqual([{ field: 'stage', reason: 'the case has not been decided' }]);

    const ratings = await call<{
      items: { stage: string; level: string; comment: string; staff: { sub: string } }[];
    }>('GET', `/ratings?caseId=${completed.caseId}`, owner);
    expect(ratings.body.items.map((r) => [r.stage, r.level, r.staff.sub])).toEqual([
      ['acceptance', 'dissatisfied', 'staff-xinan'],
      ['decision', 'very_satisfied', 'reviewer-rsj'],
    ]);
    // The applicant's comment is kept with the phone number masked.
    expect(ratings.body.items[0]?.comment).not.toContain('13800138000');

    const rectification = await call<Rectification>(
      'GET',
      `/rectifications/${bad.body.rectification!.id}`,
      owner,
    );
    expect(rectification.body).toMatchObject({
      state: 'open',
      owner: { sub: 'staff-xinan', role: 'office_staff' },
    });
    // Another office's staff and another department's reviewer cannot see it.
    const xixiang: Actor = { sub: 'staff-xixiang', role: 'office_staff', officeId: '440306002' };
    expect((await call('GET', `/rectifications/${bad.body.rectification!.id}`, xixiang)).status).toBe(404);
    const listed = await call<{ items: Rectification[] }>(
      'GET',
      `/rectifications?caseId=${completed.caseId}`,
      xixiang,
    );
    expect(listed.body.items).toEqual([]);
  });

  it('drives a 差评 through return visit, verification and rectification, and feeds the outcome back to the rater', async () => {
    const completed = await completedCase();
    const bad = await rate(completed, 'handover', 'very_dissatisfied', '取件排队太久');
    expect(bad.status).toBe(201);
    const id = bad.body.rectification!.id;

    const byColleague = await call<{ issues: Issue[] }>(
      'POST',
      `/rectifications/${id}/return-visit`,
      colleague,
      {
        note: '回访',
      },
    );
    expect(byColleague.status).toBe(403);
    expect(byColleague.body.issues[0]?.reason).toMatch(/谁办理、谁负责/);
    // The deciding department sees its case's rectification but does not own the handover's.
    expect(
      (await call('POST', `/rectifications/${id}/return-visit`, reviewer, { note: '回访' })).status,
    ).toBe(403);
    // Another department's reviewer: the same answer as a missing rectification.
    const ybj: Actor = {
      sub: 'reviewer-ybj',
      role: 'reviewer',
      departmentId: '440306-ybj',
      supervisor: false,
    };
    expect((await call('POST', `/rectifications/${id}/return-visit`, ybj, { note: '回访' })).status).toBe(
      404,
    );

    const early = await call<{ issues: Issue[] }>('POST', `/rectifications/${id}/rectification`, owner, {
      note: '已整改',
    });
    expect(early.status).toBe(409);
    expect(early.body.issues).toEqual([
      { field: 'state', reason: 'cannot rectify a rectification that is open' },
    ]);
    const leaky = await call<{ issues: Issue[] }>('POST', `/rectifications/${id}/return-visit`, owner, {
      note: '已致电13800138000',
    });
    expect(leaky.status).toBe(400);
    expect(leaky.body.issues.map((issue) => issue.field)).toEqual(['note']);

    const visitDay = new Date('2026-11-30T02:00:00Z');
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(visitDay);
    expect(
      (
        await call<Rectification>('POST', `/rectifications/${id}/return-visit`, owner, {
          note: '电话回访申请人',
        })
      ).body.state,
    ).toBe('visited');
    expect(
      (
        await call<Rectification>('POST', `/rectifications/${id}/verification`, owner, {
          verdict: 'confirmed',
          note: '高峰时段仅开一个取件窗口，情况属实',
        })
      ).body.state,
    ).toBe('rectifying');
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(new Date('2026-12-02T02:00:00Z'));
    const done = await call<Rectification & { rectification: { kind: string } }>(
      'POST',
      `/rectifications/${id}/rectification`,
      owner,
      { note: '高峰时段增开取件窗口' },
    );
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'rectified', rectification: { kind: 'rectified' } });

    await expectEventually(() => {
      const events = feedbackFor(completed.caseId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        producer: 'supervision',
        payload: {
          rectificationId: id,
          stage: 'handover',
          level: 'very_dissatisfied',
          outcome: 'rectified',
          note: '高峰时段增开取件窗口',
          receiptNumber: completed.receipt,
          officeId: XINAN,
        },
      });
    });
    const audit = (await service.dataSource.query(
      `SELECT action FROM audit_log WHERE object_id = $1 ORDER BY id`,
      [id],
    )) as { action: string }[];
    expect(audit.map((entry) => entry.action)).toEqual([
      'rectification.visit',
      'rectification.verify',
      'rectification.rectify',
    ]);
  });

  it('runs an appeal: the handler appeals a wrong rating, an operator upholds it, the rating stops counting and the rater is told', async () => {
    const completed = await completedCase();
    const bad = await rate(completed, 'decision', 'very_dissatisfied', '政策规定不合理');
    const id = bad.body.rectification!.id;
    const rectification = await call<Rectification>('GET', `/rectifications/${id}`, reviewer);
    expect(rectification.body.owner).toEqual({ sub: 'reviewer-rsj', role: 'reviewer' });

    await call('POST', `/rectifications/${id}/return-visit`, reviewer, { note: '电话回访' });
    const appealed = await call<Rectification>('POST', `/rectifications/${id}/appeal`, reviewer, {
      reason: '评价针对政策本身，而非办理服务',
    });
    expect(appealed.body.state).toBe('appealed');
    const selfDecided = await call('POST', `/rectifications/${id}/appeal-decision`, reviewer, {
      decision: 'upheld',
      note: '自行裁决',
    });
    expect(selfDecided.status).toBe(403);
    const upheld = await call<Rectification>('POST', `/rectifications/${id}/appeal-decision`, operator, {
      decision: 'upheld',
      note: '经复核，该评价不属于服务评价范围',
    });
    expect(upheld.body.state).toBe('withdrawn');

    const ratings = await call<{ items: { stage: string; withdrawnAt: string | null }[] }>(
      'GET',
      `/ratings?caseId=${completed.caseId}`,
      operator,
    );
    expect(ratings.body.items[0]?.withdrawnAt).not.toBeNull();
    await expectEventually(() =>
      expect(feedbackFor(completed.caseId).map((event) => event.payload)).toEqual([
        expect.objectContaining({ outcome: 'rating_withdrawn', stage: 'decision' }),
      ]),
    );
  });

  it('sends a rejected appeal back to verification, where an unconfirmed complaint is explained to the rater', async () => {
    const completed = await completedCase();
    const id = (await rate(completed, 'acceptance', 'dissatisfied')).body.rectification!.id;
    await call('POST', `/rectifications/${id}/return-visit`, owner, { note: '回访' });
    await call('POST', `/rectifications/${id}/appeal`, owner, { reason: '误评' });
    const rejected = await call<Rectification>('POST', `/rectifications/${id}/appeal-decision`, operator, {
      decision: 'rejected',
      note: '申诉理由不成立',
    });
    expect(rejected.body.state).toBe('visited');
    const twice = await call<{ issues: Issue[] }>('POST', `/rectifications/${id}/appeal`, owner, {
      reason: '再次申诉',
    });
    expect(twice.status).toBe(409);
    const explained = await call<Rectification>('POST', `/rectifications/${id}/verification`, owner, {
      verdict: 'not_confirmed',
      note: '材料要求为法定要求，已向申请人解释',
    });
    expect(explained.body.state).toBe('explained');
    await expectEventually(() =>
      expect(feedbackFor(completed.caseId).map((event) => event.payload.outcome)).toEqual(['explained']),
    );
  });

  it('counts overdue rectifications from the database in the gauge and the overdue list', async () => {
    const completed = await completedCase();
    // Rated long ago: five working days have passed by now.
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(new Date('2026-01-05T02:00:00Z'));
    const id = (await rate(completed, 'handover', 'dissatisfied')).body.rectification!.id;
    jest.restoreAllMocks();
    const overdue = await call<{ items: Rectification[] }>(
      'GET',
      `/rectifications?overdue=true&caseId=${completed.caseId}`,
      owner,
    );
    expect(overdue.body.items.map((item) => [item.id, item.overdue])).toEqual([[id, true]]);
    expect(
      await scrapeMetric(service.metricsUrl, 'tongban_rectifications_overdue', {
        office: XINAN,
        stage: 'handover',
      }),
    ).toBeGreaterThanOrEqual(1);
    const before = await scrapeMetric(service.metricsUrl, 'tongban_rectifications_overdue');
    await call('POST', `/rectifications/${id}/return-visit`, owner, { note: '回访' });
    await call('POST', `/rectifications/${id}/verification`, owner, { verdict: 'confirmed', note: '属实' });
    await call('POST', `/rectifications/${id}/rectification`, owner, { note: '已整改' });
    expect(await scrapeMetric(service.metricsUrl, 'tongban_rectifications_overdue')).toBe(before - 1);
  });

  it('takes intake’s rating of a completed case as the rating of its handover, waiting for the handover’s event', async () => {
    const completed = await completedCase({ handedOver: false });
    // Intake rated after the handover, but the handover's event (another topic) arrives later here.
    await publish(
      sampleEvent('case.rated', {
        caseId: completed.caseId,
        payload: { score: 2, channel: 'sms', officeId: XINAN, ratedAt: '2026-11-28T02:00:00.000Z' },
      }),
    );
    await handOver(completed.caseId);
    await expectEventually(async () => {
      const ratings = await call<{ items: { stage: string; level: string; channel: string }[] }>(
        'GET',
        `/ratings?caseId=${completed.caseId}`,
        operator,
      );
      expect(ratings.body.items).toEqual([
        expect.objectContaining({ stage: 'handover', level: 'dissatisfied', channel: 'sms' }),
      ]);
    });
    const rectifications = await call<{ items: Rectification[] }>(
      'GET',
      `/rectifications?caseId=${completed.caseId}`,
      owner,
    );
    expect(rectifications.body.items.map((item) => item.owner.sub)).toEqual(['staff-xinan']);
  });

  it('records the window’s rating pad for a case of the staff member’s office only, audited', async () => {
    const completed = await completedCase();
    const xixiang: Actor = { sub: 'staff-xixiang', role: 'office_staff', officeId: '440306002' };
    const body = { caseId: completed.caseId, stage: 'handover', level: 'satisfied' };
    expect((await call('POST', '/ratings/window', xixiang, body)).status).toBe(404);
    const rated = await call<{ ratingId: string; rectification: null }>(
      'POST',
      '/ratings/window',
      owner,
      body,
    );
    expect(rated.status).toBe(201);
    expect(rated.body.rectification).toBeNull();
    const audit = (await service.dataSource.query(
      `SELECT action, actor_sub FROM audit_log WHERE object_id = $1`,
      [rated.body.ratingId],
    )) as { action: string; actor_sub: string }[];
    expect(audit).toEqual([{ action: 'rating.record', actor_sub: 'staff-xinan' }]);
    const ratings = await call<{ items: { channel: string }[] }>(
      'GET',
      `/ratings?caseId=${completed.caseId}`,
      owner,
    );
    expect(ratings.body.items.map((r) => r.channel)).toEqual(['window']);
  });
});
