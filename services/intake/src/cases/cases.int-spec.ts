import { randomUUID } from 'node:crypto';
import { parseEventOf, TOPICS, type TongbanEvent } from '@tongban/contracts';
import { generatePhone, generateResidentId, PiiCipher } from '@tongban/pii';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import {
  connectTestProducer,
  expectEventually,
  recordTopics,
  sampleEvent,
  type TopicRecorder,
} from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { IntakeConfig } from '../config/intake-config';
import { intakeService } from '../intake.service-definition';

const XINAN = 'staff-xinan'; // 宝安区新安街道, office 440306001
const XINAN_COMMUNITY = 'staff-xinan-community'; // a community centre of 新安, 440306001001
const XIXIANG = 'staff-xixiang'; // 宝安区西乡街道, office 440306002

function idEndingInX(): string {
  for (;;) {
    const id = generateResidentId({ regionCode: '440303' });
    if (id.endsWith('X')) return id;
  }
}

/** 失业保险金申领 by a resident of 罗湖 (440303), accepted in 宝安 (全市通办): cross-district. */
function unemploymentClaim(overrides: Record<string, unknown> = {}) {
  return {
    itemCode: 'RS-SYBXJ-001',
    applicant: {
      kind: 'person',
      name: '测试申请人',
      idNumber: generateResidentId({ regionCode: '440303', birthDate: '1988-06-15' }),
      phone: generatePhone(),
      householdDistrict: '440303',
    },
    materials: [
      { code: 'id_card', name: '居民身份证' },
      { code: 'termination_certificate', name: '解除或终止劳动关系证明' },
    ],
    delivery: { method: 'pickup', officeId: '440306001' },
    ...overrides,
  };
}

describe('intake: cases at the window', () => {
  let service: BootedService<IntakeConfig>;
  let recorder: TopicRecorder;
  let producer: Producer;
  const tokens: Record<string, string> = {};

  async function call(
    method: 'GET' | 'POST',
    path: string,
    user?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  async function counts(): Promise<{ cases: number; outbox: number }> {
    const [row] = (await service.dataSource.query(
      'SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM outbox)::int AS outbox',
    )) as { cases: number; outbox: number }[];
    return row!;
  }

  async function publish(event: TongbanEvent): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  beforeAll(async () => {
    service = await bootService(intakeService);
    for (const user of [XINAN, XINAN_COMMUNITY, XIXIANG, 'operator'])
      tokens[user] = await service.tokenFor(user);
    recorder = await recordTopics([TOPICS.caseSubmitted]);
    producer = await connectTestProducer();
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    await service?.close();
  });

  it('accepts a cross-district case and publishes a valid case.submitted without personal data in clear', async () => {
    const claim = unemploymentClaim();
    const created = await call('POST', '/cases', XINAN, claim);
    expect(created.status).toBe(201);
    expect(created.body['receiptNumber']).toMatch(/^440306001-\d{8}-\d{4}$/);
    const caseId = created.body['caseId'] as string;

    const message = await expectEventually(
      () => {
        const found = recorder.messages.find((m) => m.key === caseId);
        expect(found).toBeDefined();
        return found!;
      },
      { timeoutMs: 15000 },
    );
    const event = parseEventOf('case.submitted', JSON.parse(message.value));
    expect(event.payload).toMatchObject({
      itemCode: 'RS-SYBXJ-001',
      acceptingOfficeId: '440306001',
      acceptingDistrict: '440306',
      applicant: { kind: 'person', householdDistrict: '440303' },
      submittedBy: { role: 'office_staff', officeId: '440306001' },
    });
    expect(message.value).not.toContain(claim.applicant.idNumber);
    expect(message.value).not.toContain(claim.applicant.phone);
    // v2: the name sealed, an age band instead of the birth date (1988-06-15).
    expect(event.version).toBe(2);
    expect(message.value).not.toContain(claim.applicant.name);
    expect(message.value).not.toContain('1988');
    expect(event.payload.applicant).toMatchObject({ name: { masked: '测****' }, ageBand: '18-59' });
    const sealedName = (event.payload.applicant as { name: { ciphertext: string } }).name.ciphertext;
    expect(service.app.get(PiiCipher).decrypt(sealedName)).toBe(claim.applicant.name);
    const [stored] = (await service.dataSource.query('SELECT id_number_ciphertext FROM cases WHERE id = $1', [
      caseId,
    ])) as {
      id_number_ciphertext: string;
    }[];
    expect(stored?.id_number_ciphertext).toMatch(/^v1\./);
    expect(stored?.id_number_ciphertext).not.toContain(claim.applicant.idNumber);
  });

  it('answers a retried POST with the same Idempotency-Key with the first case, creating nothing', async () => {
    const claim = unemploymentClaim();
    const key = `retry-${randomUUID()}`;
    const first = await call('POST', '/cases', XINAN, claim, { 'idempotency-key': key });
    const before = await counts();
    const [second, third] = await Promise.all([
      call('POST', '/cases', XINAN, claim, { 'idempotency-key': key }),
      call('POST', '/cases', XINAN, claim, { 'idempotency-key': key }),
    ]);
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(await counts()).toEqual(before);
    const reused = await call('POST', '/cases', XINAN, unemploymentClaim(), { 'idempotency-key': key });
    expect(reused.status).toBe(409);
  });

  const claim = unemploymentClaim();
  const badId = `${claim.applicant.idNumber.slice(0, 17)}${claim.applicant.idNumber.endsWith('1') ? '2' : '1'}`;
  const malformed: [string, unknown, string, string?][] = [
    [
      'bad ID checksum',
      { ...claim, applicant: { ...claim.applicant, idNumber: badId } },
      'applicant.idNumber',
    ],
    [
      'impossible birth date',
      { ...claim, applicant: { ...claim.applicant, idNumber: '440303199902300012' } },
      'applicant.idNumber',
    ],
    [
      'lower-case x',
      { ...claim, applicant: { ...claim.applicant, idNumber: idEndingInX().toLowerCase() } },
      'applicant.idNumber',
    ],
    ['bad phone', { ...claim, applicant: { ...claim.applicant, phone: '12345' } }, 'applicant.phone'],
    ['unknown item', { ...claim, itemCode: 'XX-NOPE-001' }, 'itemCode'],
    [
      'out-of-scope office (district-only item of 罗湖)',
      { ...claim, itemCode: 'CL-CJRZ-001', materials: [] },
      'itemCode',
    ],
    [
      'community centre for a street-hall-only item',
      { ...claim, itemCode: 'WJ-YSZC-003' },
      'itemCode',
      XINAN_COMMUNITY,
    ],
    [
      'missing critical material',
      { ...claim, materials: [{ code: 'id_card', name: '居民身份证' }] },
      'materials',
    ],
    [
      'unknown material',
      { ...claim, materials: [...claim.materials, { code: 'selfie', name: '自拍' }] },
      'materials.2.code',
    ],
    [
      'company applying for a personal item',
      {
        ...claim,
        applicant: {
          kind: 'company',
          companyName: '测试公司',
          creditCode: '91440306MA5G1234X7',
          registeredDistrict: '440306',
          contactName: '联系人',
          phone: generatePhone(),
        },
      },
      'applicant.kind',
    ],
    [
      'delivery method the item does not offer',
      {
        ...claim,
        delivery: { method: 'post', address: { districtCode: '440303', detail: '罗湖区测试路1号' } },
      },
      'delivery.method',
    ],
    [
      'unknown pickup office',
      { ...claim, delivery: { method: 'pickup', officeId: '999999999' } },
      'delivery.officeId',
    ],
    [
      'oversized name',
      { ...claim, applicant: { ...claim.applicant, name: '名'.repeat(101) } },
      'applicant.name',
    ],
    [
      'oversized material list',
      { ...claim, materials: Array.from({ length: 51 }, () => claim.materials[0]) },
      'materials',
    ],
    ['wrong type: materials as a string', { ...claim, materials: 'id_card' }, 'materials'],
    ['wrong type: applicant as an array', { ...claim, applicant: [] }, 'applicant'],
    ['missing itemCode', { ...claim, itemCode: undefined }, 'itemCode'],
    [
      'unknown applicant kind',
      { ...claim, applicant: { ...claim.applicant, kind: 'robot' } },
      'applicant.kind',
    ],
    [
      'district code not six digits',
      { ...claim, applicant: { ...claim.applicant, householdDistrict: '4403' } },
      'applicant.householdDistrict',
    ],
    [
      'a phone number typed into the name',
      { ...claim, applicant: { ...claim.applicant, name: `张三 ${generatePhone()}` } },
      'applicant.name',
    ],
    [
      'an ID number typed into a material name',
      {
        ...claim,
        materials: [{ ...claim.materials[0], name: `身份证${generateResidentId()}` }, claim.materials[1]],
      },
      'materials.0.name',
    ],
    [
      'bad file hash',
      { ...claim, materials: [{ ...claim.materials[0], sha256: 'xyz' }, claim.materials[1]] },
      'materials.0.sha256',
    ],
  ];

  // Rows as objects: a test function with more parameters than a row has would get jest's `done`.
  const rows = malformed.map(([name, body, field, user]) => ({ name, body, field, user: user ?? XINAN }));
  it.each(rows)(
    'refuses $name with 400 naming the field, and changes nothing',
    async ({ body, field, user }) => {
      const before = await counts();
      const response = await call('POST', '/cases', user, body);
      expect(response.status).toBe(400);
      const issues = response.body['issues'] as { field: string; reason: string }[];
      expect(issues.map((issue) => issue.field)).toContain(field);
      for (const issue of issues) expect(issue.reason).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    },
  );

  it('counts submissions and refusals on /metrics', async () => {
    const response = await fetch(service.metricsUrl);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(
      /tongban_cases_submitted_total\{[^}]*office="440306001"[^}]*item="RS-SYBXJ-001"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/tongban_validation_failures_total\{field="applicant"[^}]*\} [1-9]/);
    expect(text).toContain('tongban_outbox_backlog');
    // No label carries an ID number (numbers with fractions, such as timings, are not IDs).
    expect(text).not.toMatch(/(?<![\d.])\d{17}[\dX](?![\d.])/);
  });

  it('lists the office’s cases newest first, filtered, in cursor pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const created = await call('POST', '/cases', XIXIANG, unemploymentClaim());
      ids.unshift(created.body['caseId'] as string);
    }
    const first = await call('GET', '/cases?limit=2', XIXIANG);
    expect(first.status).toBe(200);
    const page1 = (first.body['cases'] as { caseId: string }[]).map((c) => c.caseId);
    expect(page1).toEqual(ids.slice(0, 2));
    const second = await call('GET', `/cases?limit=2&cursor=${String(first.body['nextCursor'])}`, XIXIANG);
    expect((second.body['cases'] as { caseId: string }[]).map((c) => c.caseId)).toEqual(ids.slice(2));
    expect(second.body['nextCursor']).toBeNull();

    const count = async (query: string) =>
      ((await call('GET', `/cases?limit=100&${query}`, XIXIANG)).body['cases'] as unknown[]).length;
    expect(await count('status=submitted&itemCode=RS-SYBXJ-001')).toBe(3);
    expect(await count('status=approved')).toBe(0);
    expect(await count('itemCode=GA-WFZJL-001')).toBe(0);
    expect(await count('overdue=true')).toBe(0);
    expect(await count(`from=${new Date(Date.now() + 60000).toISOString()}`)).toBe(0);

    const bad = await call('GET', '/cases?status=lost&cursor=nonsense', XIXIANG);
    expect(bad.status).toBe(400);
    expect((bad.body['issues'] as { field: string }[]).map((issue) => issue.field)).toContain('status');
    const badCursor = await call('GET', '/cases?cursor=nonsense', XIXIANG);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body['issues']).toEqual([{ field: 'cursor', reason: expect.any(String) }]);
  });

  it('keeps one office out of another office’s cases', async () => {
    const created = await call(
      'POST',
      '/cases',
      XINAN,
      unemploymentClaim({
        delivery: { method: 'courier', address: { districtCode: '440303', detail: '罗湖区测试路1号' } },
      }),
    );
    const caseId = created.body['caseId'] as string;
    expect((await call('GET', `/cases/${caseId}`, XINAN)).status).toBe(200);
    const other = await call('GET', `/cases/${caseId}`, XIXIANG);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(created.body['receiptNumber']);
    expect((await call('GET', `/cases/${caseId}/timeline`, XIXIANG)).status).toBe(404);
    const listed = await call('GET', '/cases?limit=100', XIXIANG);
    expect((listed.body['cases'] as { caseId: string }[]).map((c) => c.caseId)).not.toContain(caseId);
    expect((await call('GET', `/cases/${caseId}`, 'operator')).status).toBe(200);
  });

  it('shows the deadline approval owns: moved by a supplement pause and resume, never overdue while paused', async () => {
    const claim = unemploymentClaim();
    const created = await call('POST', '/cases', XINAN, claim);
    const caseId = created.body['caseId'] as string;
    const track = () =>
      call('POST', '/cases/track', undefined, {
        receipt: String(created.body['receiptNumber']),
        phoneLast4: claim.applicant.phone.slice(-4),
      });
    const overdue = async () =>
      (
        (await call('GET', '/cases?limit=100&overdue=true', XINAN)).body['cases'] as { caseId: string }[]
      ).some((entry) => entry.caseId === caseId);
    const minutes = (n: number) => new Date(Date.now() + n * 60000).toISOString();
    const sla = (kind: 'paused' | 'resumed', dueAt: string, occurredAt: string) =>
      sampleEvent('case.sla', { caseId, occurredAt, payload: { kind, dueAt, departmentId: '440303-rsj' } });

    // Routing's first deadline has passed: the office sees the case overdue.
    const routedDue = minutes(-10);
    await publish(
      sampleEvent('case.routed', { caseId, occurredAt: minutes(-60), payload: { slaDueAt: routedDue } }),
    );
    await expectEventually(async () => expect(await overdue()).toBe(true), { timeoutMs: 20000 });
    // Paused for a supplement: the deadline stands still, the case is not overdue.
    await publish(sla('paused', routedDue, minutes(-30)));
    await expectEventually(async () => expect(await overdue()).toBe(false), { timeoutMs: 20000 });
    // Resumed: approval moved the deadline by the time the clock was paused.
    const resumedDue = minutes(60 * 24);
    await publish(sla('resumed', resumedDue, minutes(-1)));
    await expectEventually(
      async () => {
        expect((await call('GET', `/cases/${caseId}`, XINAN)).body['slaDueAt']).toBe(resumedDue);
        expect((await track()).body['dueAt']).toBe(resumedDue);
      },
      { timeoutMs: 20000 },
    );
    expect(await overdue()).toBe(false);
    // A late event that tells an older deadline does not move it back.
    await publish(sla('paused', routedDue, minutes(-20)));
    await expectEventually(async () => {
      const timeline = await call('GET', `/cases/${caseId}/timeline`, XINAN);
      const stages = (timeline.body['stages'] as { stage: string }[]).map((stage) => stage.stage);
      expect(stages.filter((stage) => stage === 'sla_paused')).toHaveLength(2);
    });
    expect((await track()).body['dueAt']).toBe(resumedDue);
  });

  it('reads the time from the injected Clock: the receipt day, the submission time and the overdue filter follow it', async () => {
    let instant = new Date('2027-03-01T02:00:00.000Z'); // 10:00 in Shenzhen
    const clock = jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => new Date(instant));
    try {
      const created = await call('POST', '/cases', XINAN, unemploymentClaim());
      expect(created.status).toBe(201);
      expect(created.body['receiptNumber']).toMatch(/^440306001-20270301-\d{4}$/);
      const caseId = created.body['caseId'] as string;
      expect((await call('GET', `/cases/${caseId}`, XINAN)).body['submittedAt']).toBe(instant.toISOString());

      const overdue = async () =>
        (
          (await call('GET', '/cases?limit=100&overdue=true', XINAN)).body['cases'] as { caseId: string }[]
        ).some((entry) => entry.caseId === caseId);
      const dueAt = new Date(instant.getTime() + 24 * 3600 * 1000).toISOString();
      await publish(
        sampleEvent('case.routed', {
          caseId,
          occurredAt: instant.toISOString(),
          payload: { slaDueAt: dueAt },
        }),
      );
      await expectEventually(
        async () => expect((await call('GET', `/cases/${caseId}`, XINAN)).body['slaDueAt']).toBe(dueAt),
        { timeoutMs: 20000 },
      );
      expect(await overdue()).toBe(false);
      // Two days on by the service's clock (the database's own clock is months earlier): overdue.
      instant = new Date(instant.getTime() + 2 * 24 * 3600 * 1000);
      expect(await overdue()).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });

  it('builds the timeline from the other services’ events, in order, and follows supplements, tracking and rating', async () => {
    const claim = unemploymentClaim();
    const created = await call('POST', '/cases', XINAN, claim);
    const caseId = created.body['caseId'] as string;
    const receipt = created.body['receiptNumber'] as string;
    const requestId = randomUUID();

    // Published as routing, approval and delivery will publish them, in the order they happen.
    await publish(sampleEvent('case.routed', { caseId }));
    await publish(sampleEvent('case.supplement-requested', { caseId, payload: { requestId } }));
    await expectEventually(
      async () =>
        expect((await call('GET', `/cases/${caseId}`, XINAN)).body['status']).toBe('supplement_requested'),
      { timeoutMs: 20000 },
    );

    const tooFew = await call('POST', `/cases/${caseId}/supplements`, XINAN, {
      materials: [{ code: 'id_card', name: '居民身份证' }],
    });
    expect(tooFew.status).toBe(400);
    const requested = { materials: [{ code: 'BANK_CARD', name: '银行卡复印件' }] };
    expect((await call('POST', `/cases/${caseId}/supplements`, XINAN, requested)).status).toBe(201);
    // The request is answered; what is left open is the 容缺 bank_account, which BANK_CARD is not.
    const again = await call('POST', `/cases/${caseId}/supplements`, XINAN, requested);
    expect(again.status).toBe(400);
    expect(again.body['issues']).toEqual([
      { field: 'materials.0.code', reason: expect.stringMatching(/bank_account/) },
    ]);

    const last4 = claim.applicant.phone.slice(-4);
    const early = await call('POST', '/cases/rating', undefined, {
      receipt,
      phoneLast4: last4,
      score: 5,
    });
    expect(early.status).toBe(409);

    await publish(sampleEvent('case.decided', { caseId }));
    await publish(sampleEvent('delivery.updated', { caseId, payload: { state: 'ready_for_pickup' } }));
    await publish(sampleEvent('delivery.updated', { caseId, payload: { state: 'collected' } }));

    const timeline = await expectEventually(
      async () => {
        const response = await call('GET', `/cases/${caseId}/timeline`, XINAN);
        expect(response.body['status']).toBe('collected');
        expect(response.body['stages']).toHaveLength(7);
        return response.body;
      },
      { timeoutMs: 30000 },
    );
    expect((timeline['stages'] as { stage: string }[]).map((stage) => stage.stage)).toEqual([
      'submitted',
      'routed',
      'supplement_requested',
      'supplemented',
      'approved',
      'delivery_ready_for_pickup',
      'delivery_collected',
    ]);

    const wrong = last4 === '0000' ? '1111' : '0000';
    expect((await call('POST', '/cases/track', undefined, { receipt, phoneLast4: wrong })).status).toBe(404);
    const tracked = await call('POST', '/cases/track', undefined, { receipt, phoneLast4: last4 });
    expect(tracked.status).toBe(200);
    expect(tracked.body['status']).toBe('collected');
    expect(JSON.stringify(tracked.body)).not.toContain('测试申请人');

    const rated = await call('POST', '/cases/rating', undefined, {
      receipt,
      phoneLast4: last4,
      score: 5,
      tags: ['fast'],
    });
    expect(rated.status).toBe(201);
    expect(
      (await call('POST', '/cases/rating', undefined, { receipt, phoneLast4: last4, score: 1 })).status,
    ).toBe(409);
  }, 90000);

  it('locks a receipt after APPLICANT_PROOF_ATTEMPTS tries, right or wrong, with Retry-After', async () => {
    const claim = unemploymentClaim();
    const created = await call('POST', '/cases', XINAN, claim);
    expect(created.status).toBe(201);
    const receipt = created.body['receiptNumber'] as string;
    const last4 = claim.applicant.phone.slice(-4);
    const wrong = last4 === '0000' ? '1111' : '0000';

    // The proof used to travel in the query string: that route is gone (401 as GET /cases/{id}).
    expect((await call('GET', `/cases/track?receipt=${receipt}&phoneLast4=${last4}`)).status).toBe(401);

    const attempts = service.config.APPLICANT_PROOF_ATTEMPTS;
    expect((await call('POST', '/cases/track', undefined, { receipt, phoneLast4: last4 })).status).toBe(200);
    for (let i = 1; i < attempts; i += 1) {
      expect((await call('POST', '/cases/track', undefined, { receipt, phoneLast4: wrong })).status).toBe(
        404,
      );
    }
    const response = await fetch(`${service.baseUrl}/cases/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ receipt, phoneLast4: last4 }),
    });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(service.config.APPLICANT_PROOF_LOCKOUT_MINUTES * 60);
    // Rating is proved the same way and shares the receipt's budget.
    expect(
      (await call('POST', '/cases/rating', undefined, { receipt, phoneLast4: last4, score: 5 })).status,
    ).toBe(429);
    // Another receipt is not affected.
    const other = unemploymentClaim();
    const otherCase = await call('POST', '/cases', XINAN, other);
    expect(
      (
        await call('POST', '/cases/track', undefined, {
          receipt: otherCase.body['receiptNumber'],
          phoneLast4: other.applicant.phone.slice(-4),
        })
      ).status,
    ).toBe(200);
  });
});
