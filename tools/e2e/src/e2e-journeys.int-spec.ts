import { expectEventually } from '@tongban/testing';
import { Journey, type JourneyResult } from './journeys';
import { serverErrorReporter } from './server-error-report';
import { TongbanSystem } from '@tongban/service-testing';
import {
  actors,
  type CaseKind,
  PhoneInbox,
  planCase,
  SmsGateway,
  TongbanClient,
  withdrawRoutingRule,
} from './tongban-client';

/**
 * The built services as separate processes, driven through their public HTTP APIs only: one case
 * of each kind from the window to the applicant's rating, with the pickup codes read from the
 * texts the applicant's phone received through the local SMS gateway.
 */
describe('end to end: one case of each kind, window to rating', () => {
  let system: TongbanSystem;
  let client: TongbanClient;
  let sms: PhoneInbox;
  const who = actors(`e2e${Date.now().toString(36)}`);
  const results = new Map<CaseKind, JourneyResult>();

  beforeAll(async () => {
    system = await TongbanSystem.start({
      label: 'e2e',
      basePort: 29301,
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    client = new TongbanClient(
      system.endpoints,
      system.keys,
      serverErrorReporter(system, (line) => process.stdout.write(`e2e: ${line}\n`)),
    );
    sms = new PhoneInbox(system.sms.url);
    await withdrawRoutingRule(client, who);
  }, 150000);

  afterAll(async () => {
    await sms?.close();
    await system?.stop();
  });

  async function timeline(result: JourneyResult): Promise<string[]> {
    const answer = await client.call<{ stages: { stage: string }[] }>(
      'intake',
      'GET',
      `/cases/${result.caseId!}/timeline`,
      who.staff(result.plan.officeId),
    );
    expect(answer.status).toBe(200);
    return answer.body.stages.map((entry) => entry.stage);
  }

  it('completes a cross-district door delivery, a 秒批 window pickup, a parallel approval, a supplement round and a case released from triage', async () => {
    const kinds: CaseKind[] = ['door', 'instant', 'parallel', 'supplement', 'unroutable'];
    const journeys = kinds.map(
      (kind) =>
        new Journey(client, sms, who, planCase(kind), {
          failedAttempts: kind === 'door' ? 1 : 0,
          poll: { timeoutMs: 60000, intervalMs: 200 },
        }),
    );
    const started = Date.now();
    const outcomes = await Promise.allSettled(journeys.map((journey) => journey.run()));
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'rejected')
        throw new Error(`${kinds[index]} journey: ${String(outcome.reason)}`);
      results.set(kinds[index]!, outcome.value);
    });
    for (const [kind, result] of results) {
      expect(result.finalStatus).toBe(kind === 'door' ? 'delivered' : 'collected');
      expect(result.at.rated).toBeDefined();
    }
    process.stdout.write(
      `e2e: ${kinds.length} journeys completed in ${Date.now() - started} ms: ${kinds
        .map((kind) => `${kind} ${results.get(kind)!.at.rated! - results.get(kind)!.at.accepted!} ms`)
        .join(', ')}\n`,
    );
  }, 240000);

  it('N证联办: every department’s document reaches the parcel, and the office sees each department’s decision', async () => {
    const result = results.get('parallel')!;
    const staff = who.staff(result.plan.officeId);
    const parcel = await client.call<{ documents: { departmentId: string; number: string }[] }>(
      'delivery',
      'GET',
      `/parcels/${result.parcelId!}`,
      who.staff(result.plan.parcelOfficeId!),
    );
    expect(parcel.status).toBe(200);
    expect(parcel.body.documents.map((document) => document.departmentId).sort()).toEqual(
      [...result.plan.departments].sort(),
    );
    const view = await client.call<{
      departments: { departmentId: string; state: string; documentNumber: string }[];
    }>('intake', 'GET', `/cases/${result.caseId!}`, staff);
    expect(view.body.departments).toEqual(
      result.plan.departments.map((departmentId) => ({
        departmentId,
        role: departmentId === result.plan.departments[0] ? 'primary' : 'parallel',
        state: 'approved',
        documentNumber: parcel.body.documents.find((d) => d.departmentId === departmentId)!.number,
      })),
    );
  });

  it('an agent collects an adult’s 社保卡 with the agent’s ID (a wrong one refused); a 容缺 card is held until the office hands the photo in', async () => {
    const journeys = (['agent', 'rongque'] as const).map(
      (kind) =>
        new Journey(client, sms, who, planCase(kind), { poll: { timeoutMs: 60000, intervalMs: 200 } }),
    );
    const [agent, rongque] = await Promise.all(journeys.map((journey) => journey.run()));
    expect(agent!.finalStatus).toBe('collected');
    expect(agent!.wrongAgent).toEqual({ status: 422, fields: ['agent.idNumber'] });
    // The agent was texted the code (and the rest), the rating link went to the applicant only.
    const agentTexts = (await sms.texts(agent!.plan.agent!.phone)).map((m) => m.text);
    expect(agentTexts.some((text) => /请凭取件码\d{6}领取/.test(text))).toBe(true);
    expect(agentTexts.some((text) => text.includes('评价'))).toBe(false);
    const agentView = await client.call<{ assistance: Record<string, unknown> }>(
      'intake',
      'GET',
      `/cases/${agent!.caseId!}`,
      who.staff(agent!.plan.officeId),
    );
    expect(agentView.body.assistance).toMatchObject({
      mode: 'agent',
      relation: '配偶',
      agentIdNumber: `${agent!.plan.agent!.idNumber.slice(0, 6)}********${agent!.plan.agent!.idNumber.slice(14)}`,
    });

    expect(rongque!.finalStatus).toBe('collected');
    expect(rongque!.held).toEqual({ status: 409, message: expect.stringContaining('photo') });
    const rongqueView = await client.call<Record<string, unknown>>(
      'intake',
      'GET',
      `/cases/${rongque!.caseId!}`,
      who.staff(rongque!.plan.officeId),
    );
    expect(rongqueView.body).toMatchObject({ missingMaterials: [], rongqueExpiredAt: null });
  }, 240000);

  it('shows every stage of each case on the intake timeline, in order', async () => {
    const common = ['submitted', 'routed', 'approved', 'rated'];
    const expected: Record<string, string[]> = {
      door: [
        ...common,
        'delivery_ready_for_dispatch',
        'delivery_picked_up',
        'delivery_out_for_delivery',
        'delivery_delivery_failed',
        'delivery_rescheduled',
        'delivery_delivered',
      ],
      instant: [...common, 'delivery_ready_for_pickup', 'delivery_collected'],
      parallel: [...common, 'delivery_ready_for_pickup', 'delivery_collected'],
      supplement: [
        ...common,
        'supplement_requested',
        'supplemented',
        'delivery_ready_for_pickup',
        'delivery_collected',
      ],
      unroutable: [...common, 'unroutable', 'delivery_ready_for_pickup', 'delivery_collected'],
    };
    for (const [kind, result] of results) {
      const stages = await expectEventually(
        async () => {
          const seen = await timeline(result);
          expect(seen).toEqual(expect.arrayContaining(expected[kind]!));
          return seen;
        },
        { timeoutMs: 20000, intervalMs: 200 },
      );
      // In order: the stage sequence is the life of the case, whatever order events arrived in.
      const order = (stage: string) => stages.indexOf(stage);
      expect(order('submitted')).toBe(0);
      expect(order('routed')).toBeLessThan(order('approved'));
      expect(order('approved')).toBeLessThan(stages.findIndex((stage) => stage.startsWith('delivery_')));
      expect(order('rated')).toBe(stages.length - 1);
      if (kind === 'unroutable') expect(order('unroutable')).toBeLessThan(order('routed'));
      if (kind === 'supplement') {
        expect(order('supplement_requested')).toBeLessThan(order('supplemented'));
        expect(order('supplemented')).toBeLessThan(order('approved'));
      }
      if (kind === 'door') {
        expect(order('delivery_delivery_failed')).toBeLessThan(order('delivery_rescheduled'));
        expect(order('delivery_rescheduled')).toBeLessThan(order('delivery_delivered'));
      }
      process.stdout.write(`e2e timeline ${kind}: ${stages.join(' → ')}\n`);
    }
  });

  it('texts each applicant what happened, as the phone received it', async () => {
    const expected: Record<string, RegExp[]> = {
      door: [
        /已受理，受理编号/,
        /已办结，准予许可，文书号/,
        /将派送上门，签收时请向投递员出示取件码\d{6}/,
        /正在派送/,
        /第1次投递未成功，原因：/,
        /正在派送/,
        /已签收。欢迎对本次服务作出评价（链接仅可使用一次）：http:\/\/127\.0\.0\.1:29301\/r\//,
      ],
      instant: [/已受理/, /准予许可/, /已到.+（.+），办公时间工作日.+，请凭取件码\d{6}领取/, /已领取。欢迎/],
      supplement: [
        /已受理/,
        /需一次性补正以下材料：.+（.+）。请于\d{4}-\d{2}-\d{2}前/,
        /准予许可/,
        /取件码/,
        /已领取/,
      ],
    };
    for (const [kind, patterns] of Object.entries(expected)) {
      const result = results.get(kind as CaseKind)!;
      const texts = await expectEventually(
        async () => {
          const received = (await sms.texts(result.plan.applicant.phone)).map((m) => m.text);
          expect(received).toHaveLength(patterns.length);
          return received;
        },
        { timeoutMs: 20000, intervalMs: 200 },
      );
      // Events of different topics may be consumed in either order: each expected text once, in any order.
      const unmatched = [...texts];
      for (const pattern of patterns) {
        const index = unmatched.findIndex((text) => pattern.test(text));
        expect([pattern, index >= 0]).toEqual([pattern, true]);
        unmatched.splice(index, 1);
      }
      for (const text of texts) expect(text.startsWith('【通办通取】')).toBe(true);
      process.stdout.write(
        `e2e texts ${kind} (${result.plan.applicant.phone.slice(0, 3)}****${result.plan.applicant.phone.slice(-4)}):\n${texts.map((t) => `  ${t}`).join('\n')}\n`,
      );
    }
  });

  it('finds in delivery’s outbox, sealed, the same code the phone received (the fault suites read it there)', async () => {
    const result = results.get('instant')!;
    const parcel = await client.call<{ trackingNumber: string }>(
      'delivery',
      'GET',
      `/parcels/${result.parcelId!}`,
      who.staff(result.plan.parcelOfficeId!),
    );
    const texted = {
      parcelId: result.parcelId!,
      trackingNumber: parcel.body.trackingNumber,
      phone: result.plan.applicant.phone,
    };
    const outbox = new SmsGateway(system.services.delivery.database.url, system.cipher);
    try {
      expect(await outbox.latestCode(texted)).toBe(await sms.latestCode(texted));
    } finally {
      await outbox.close();
    }
  });

  it('lets the applicant rate through the link in the last text, once', async () => {
    const journey = new Journey(client, sms, who, planCase('instant'), {
      rate: false,
      poll: { timeoutMs: 60000, intervalMs: 200 },
    });
    const result = await journey.run();
    expect(result.finalStatus).toBe('collected');
    const link = await expectEventually(
      async () => {
        const texts = (await sms.texts(result.plan.applicant.phone)).map((m) => m.text);
        const found = texts.map((text) => /(http:\/\/\S+\/r\/[\w-]+\.[\w-]+)$/.exec(text)?.[1]).find(Boolean);
        expect(found).toBeDefined();
        return found!;
      },
      { timeoutMs: 20000, intervalMs: 200 },
    );
    const path = new URL(link).pathname;
    const view = await client.call('intake', 'GET', path);
    expect(view.body).toEqual({
      receiptNumber: result.receipt,
      itemCode: result.plan.itemCode,
      status: 'collected',
      rated: false,
      rateable: true,
    });
    const rated = await client.call('intake', 'POST', path, undefined, { score: 4, tags: ['fast'] });
    expect(rated.status).toBe(201);
    const again = await client.call('intake', 'POST', path, undefined, { score: 1 });
    expect(again.status).toBe(409);
    expect((await client.call('intake', 'GET', path)).body).toMatchObject({ rated: true, rateable: false });
    // A link altered by one character names nothing.
    const forged = path.slice(0, -1) + (path.endsWith('A') ? 'B' : 'A');
    expect((await client.call('intake', 'POST', forged, undefined, { score: 5 })).status).toBe(404);
  });

  it('lets the applicant track the case by receipt and phone ending, and rate it only once', async () => {
    const result = results.get('instant')!;
    const last4 = result.plan.applicant.phone.slice(-4);
    const tracked = await client.call('intake', 'POST', '/cases/track', undefined, {
      receipt: result.receipt,
      phoneLast4: last4,
    });
    expect(tracked.status).toBe(200);
    expect(tracked.body['status']).toBe('collected');
    // 承诺时限: the applicant sees the promised date beside the legal one.
    expect(tracked.body).toMatchObject({ promisedDueAt: expect.any(String), dueAt: expect.any(String) });
    const again = await client.call('intake', 'POST', '/cases/rating', undefined, {
      receipt: result.receipt,
      phoneLast4: last4,
      score: 1,
    });
    expect(again.status).toBe(409);
  });
});
