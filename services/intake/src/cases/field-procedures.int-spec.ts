import { randomUUID } from 'node:crypto';
import { AuditTrail } from '@tongban/auth';
import {
  generatePhone,
  generateResidentId,
  maskName,
  maskPhone,
  maskResidentId,
  PiiCipher,
} from '@tongban/pii';
import { loadReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually, sampleEvent } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { IntakeConfig } from '../config/intake-config';
import { intakeService } from '../intake.service-definition';
import { CaseStore } from './case-store';
import { RongqueService } from './rongque.service';

const XINAN = 'staff-xinan'; // 宝安区新安街道, office 440306001
const XIXIANG = 'staff-xixiang'; // 宝安区西乡街道, office 440306002

/** 社保卡申领 (RS-SBKSL-003) for a 宝安 resident born on `birthDate`, at the 新安 window. */
function socialSecurityCard(birthDate: string, materials: string[]) {
  return {
    itemCode: 'RS-SBKSL-003',
    applicant: {
      kind: 'person',
      name: '测试申请人',
      idNumber: generateResidentId({ regionCode: '440306', birthDate }),
      phone: generatePhone(),
      householdDistrict: '440306',
    },
    materials: materials.map((code) => ({ code, name: code })),
    delivery: { method: 'pickup', officeId: '440306001' },
  };
}

/** Procedures as the field walks them, through intake's public HTTP API on the real stack. */
describe('intake: field procedures', () => {
  let service: BootedService<IntakeConfig>;
  let producer: Producer;
  const tokens: Record<string, string> = {};
  let now = new Date('2026-12-04T02:00:00Z');

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

  beforeAll(async () => {
    service = await bootService(intakeService);
    for (const user of [XINAN, XIXIANG, 'operator', 'reviewer-rsj'])
      tokens[user] = await service.tokenFor(user);
    producer = await connectTestProducer();
    // 2026-12-04 10:00 in China: the ages below are counted on this day.
    jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => now);
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  describe('materials that apply only sometimes', () => {
    it('accepts an adult’s 社保卡 application without a guardian’s ID card', async () => {
      const adult = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('2008-12-04', ['id_card', 'photo']),
      );
      expect(adult.status).toBe(201);
      expect(adult.body).toMatchObject({ missingMaterials: [], supplementDueAt: null });
    });

    it('refuses a minor’s without it, naming the material, and stores nothing', async () => {
      const before = await caseCount();
      const minor = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('2008-12-05', ['id_card', 'photo']),
      );
      expect(minor.status).toBe(400);
      expect(minor.body['issues']).toEqual([
        { field: 'materials', reason: expect.stringMatching(/guardian_id_card/) },
      ]);
      expect(await caseCount()).toBe(before);
      const withGuardian = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('2008-12-05', ['id_card', 'photo', 'guardian_id_card']),
      );
      expect(withGuardian.status).toBe(201);
    });
  });

  describe('staff lookups', () => {
    it('lists items with their materials, conditions, 容缺 and the offices that accept them', async () => {
      const all = await call('GET', '/catalogue/items', XINAN);
      expect(all.status).toBe(200);
      expect(all.body['items']).toHaveLength(28);
      const card = await call('GET', '/catalogue/items/RS-SBKSL-003', 'reviewer-rsj');
      expect(card.status).toBe(200);
      expect(card.body).toMatchObject({
        code: 'RS-SBKSL-003',
        timeLimits: { legalDays: 15, promisedDays: 7 },
        rongque: { allowed: true, supplementDays: 5 },
        materials: [
          { code: 'id_card', critical: true, rongqueAllowed: false, appliesWhen: [] },
          { code: 'photo', critical: false, rongqueAllowed: true },
          {
            code: 'guardian_id_card',
            appliesWhen: [{ condition: 'applicant_age', max: 17 }],
            appliesWhenText: ['applicant aged 17 or younger'],
          },
        ],
      });
      expect(card.body['acceptingOfficeIds']).toEqual(expect.arrayContaining(['440306001', '441305001']));
      // 公司设立 is for street halls only: a community centre does not accept it.
      const company = await call('GET', '/catalogue/items?officeId=440306001001', XINAN);
      expect((company.body['items'] as { code: string }[]).map((item) => item.code)).not.toContain(
        'SJ-NZGS-002',
      );
      expect((await call('GET', '/catalogue/items/XX-NONE-001', XINAN)).status).toBe(404);
      expect((await call('GET', '/catalogue/items')).status).toBe(401);
    });

    it('lists offices with address and opening hours', async () => {
      const offices = await call('GET', '/catalogue/offices', XINAN);
      const xinan = (offices.body['offices'] as { id: string }[]).find((office) => office.id === '440306001');
      expect(xinan).toMatchObject({
        address: expect.any(String),
        businessHours: [{ open: '09:00', close: '18:00' }],
        pickupWindow: true,
      });
    });

    it('finds the office’s cases by receipt number, applicant ID number (through its hash) or name, only its own', async () => {
      const application = socialSecurityCard('1990-03-08', ['id_card', 'photo']);
      const name = `检索${randomUUID().slice(0, 6)}`;
      application.applicant.name = name;
      const created = await call('POST', '/cases', XINAN, application);
      const receiptNumber = created.body['receiptNumber'] as string;
      const search = (user: string, body: unknown) => call('POST', '/cases/search', user, body);
      const found = (answer: { status: number; body: Record<string, unknown> }) => {
        expect(answer).toMatchObject({ status: 200 });
        return (answer.body['cases'] as { caseId: string }[]).map((entry) => entry.caseId);
      };

      const byReceipt = await search(XINAN, { receiptNumber });
      expect(found(byReceipt)).toEqual([created.body['caseId']]);
      const byId = await search(XINAN, { idNumber: application.applicant.idNumber });
      expect(found(byId)).toEqual([created.body['caseId']]);
      expect(JSON.stringify(byId.body)).not.toContain(application.applicant.idNumber);
      expect(found(await search(XINAN, { applicantName: name }))).toEqual([created.body['caseId']]);
      // Scoped as the case list: another office finds nothing, an operator finds it.
      expect(found(await search(XIXIANG, { receiptNumber }))).toEqual([]);
      expect(found(await search('operator', { idNumber: application.applicant.idNumber }))).toEqual([
        created.body['caseId'],
      ]);

      const wrong = await search(XINAN, { idNumber: '440306199003081234', receiptNumber: 'abc', limit: 0 });
      expect(wrong.status).toBe(400);
      expect((wrong.body['issues'] as { field: string }[]).map((issue) => issue.field).sort()).toEqual([
        'idNumber',
        'limit',
        'receiptNumber',
      ]);
      expect(JSON.stringify(wrong.body)).not.toContain('440306199003081234');
      expect((await search(XINAN, {})).status).toBe(400);
    });

    it('shows the open supplement request on the case view: materials and deadline', async () => {
      const created = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('1990-03-08', ['id_card', 'photo']),
      );
      const caseId = created.body['caseId'] as string;
      expect((await call('GET', `/cases/${caseId}`, XINAN)).body['supplementRequest']).toBeNull();
      const requestId = randomUUID();
      await publishEvent(
        sampleEvent('case.supplement-requested', {
          caseId,
          payload: {
            requestId,
            items: [{ materialCode: 'photo', materialName: '近期免冠彩色证件照片', reason: '照片不清晰' }],
            dueAt: '2026-12-11T10:00:00.000Z',
          },
        }),
      );
      await expectEventually(
        async () =>
          expect((await call('GET', `/cases/${caseId}`, XINAN)).body['supplementRequest']).toEqual({
            requestId,
            departmentId: '440306-rsj',
            round: 1,
            requestedAt: expect.any(String),
            dueAt: '2026-12-11T10:00:00.000Z',
            materials: [{ code: 'photo', name: '近期免冠彩色证件照片', reason: '照片不清晰' }],
          }),
        { timeoutMs: 20000 },
      );
      const answered = await call('POST', `/cases/${caseId}/supplements`, XINAN, {
        materials: [{ code: 'photo', name: '近期免冠彩色证件照片' }],
      });
      expect(answered.status).toBe(201);
      expect((await call('GET', `/cases/${caseId}`, XINAN)).body['supplementRequest']).toBeNull();
    });

    it('names every wrong field of POST /cases in one 400, the Idempotency-Key among them, and stores nothing', async () => {
      const before = await caseCount();
      const application = socialSecurityCard('1990-03-08', ['id_card', 'photo']);
      const bad = {
        ...application,
        applicant: { ...application.applicant, phone: '12345', householdDistrict: '44' },
        delivery: { method: 'drone' },
      };
      const answer = await call('POST', '/cases', XINAN, bad, { 'Idempotency-Key': 'short' });
      expect(answer.status).toBe(400);
      expect((answer.body['issues'] as { field: string }[]).map((issue) => issue.field).sort()).toEqual([
        'Idempotency-Key',
        'applicant.householdDistrict',
        'applicant.phone',
        'delivery.method',
      ]);
      // A good body with a bad key: 400 as the README says, not 422.
      const keyOnly = await call('POST', '/cases', XINAN, application, { 'Idempotency-Key': 'bad key!' });
      expect(keyOnly.status).toBe(400);
      expect(keyOnly.body['issues']).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
      expect(await caseCount()).toBe(before);
    });
  });

  describe('容缺后补', () => {
    /** A 社保卡 case accepted without the photo (容缺, 5 working days). */
    async function withoutPhoto() {
      const created = await call('POST', '/cases', XINAN, socialSecurityCard('1990-03-08', ['id_card']));
      expect(created.body).toMatchObject({
        missingMaterials: ['photo'],
        supplementDueAt: expect.any(String),
      });
      return { caseId: created.body['caseId'] as string, dueAt: created.body['supplementDueAt'] as string };
    }
    const rongqueEvents = async (caseId: string) =>
      (
        (await service.dataSource.query(
          `SELECT payload FROM outbox WHERE topic = 'case.rongque' AND message_key = $1 ORDER BY id`,
          [caseId],
        )) as { payload: { payload: { kind: string; outstanding: string[] } } }[]
      ).map((row) => row.payload.payload);

    it('the office hands in the missing material before the deadline, without a reviewer’s request', async () => {
      const { caseId } = await withoutPhoto();
      const wrong = await call('POST', `/cases/${caseId}/supplements`, XINAN, {
        materials: [
          { code: 'id_card', name: '居民身份证' },
          { code: 'photo', name: '照片' },
        ],
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body['issues']).toEqual([
        { field: 'materials.0.code', reason: expect.stringMatching(/id_card/) },
      ]);
      const handed = await call('POST', `/cases/${caseId}/supplements`, XINAN, {
        materials: [{ code: 'photo', name: '近期免冠彩色证件照片', fileRef: 'files/photo.jpg' }],
      });
      expect(handed.status).toBe(201);
      expect(handed.body).toMatchObject({ handedIn: ['photo'], outstanding: [] });
      const view = (await call('GET', `/cases/${caseId}`, XINAN)).body;
      expect(view).toMatchObject({ missingMaterials: [], rongqueExpiredAt: null });
      expect(view['materials']).toContainEqual({
        code: 'photo',
        name: '近期免冠彩色证件照片',
        fileRef: 'files/photo.jpg',
      });
      // Nothing left to hand in and no request open: 409 as before.
      expect((await call('POST', `/cases/${caseId}/supplements`, XINAN, handedBody())).status).toBe(409);
      expect(await rongqueEvents(caseId)).toEqual([
        expect.objectContaining({ kind: 'handed_in', outstanding: [] }),
      ]);
      await expectEventually(
        async () => {
          const stages = (await call('GET', `/cases/${caseId}/timeline`, XINAN)).body['stages'] as {
            stage: string;
          }[];
          expect(stages.map((stage) => stage.stage)).toContain('rongque_handed_in');
        },
        { timeoutMs: 20000 },
      );
      // The deadline passes: a completed case does not expire.
      now = new Date(Date.parse(view['supplementDueAt'] as string) + 60_000);
      await service.app.get(RongqueService).fireDue();
      expect(await rongqueEvents(caseId)).toHaveLength(1);
      now = new Date('2026-12-04T02:00:00Z');
    });

    it('a reminder, then the deadline, each fired once however many timers look; a late hand-in is still taken', async () => {
      const { caseId, dueAt } = await withoutPhoto();
      const timer = service.app.get(RongqueService);
      now = new Date(Date.parse(dueAt) - 25 * 3_600_000);
      await timer.fireDue();
      expect(await rongqueEvents(caseId)).toEqual([]);
      // Within RONGQUE_REMINDER_HOURS (24) of the deadline: one reminder, however often the timer looks.
      now = new Date(Date.parse(dueAt) - 60_000);
      await timer.fireDue();
      await timer.fireDue();
      expect(await rongqueEvents(caseId)).toEqual([
        expect.objectContaining({ kind: 'reminder', outstanding: ['photo'] }),
      ]);
      now = new Date(Date.parse(dueAt) + 60_000);
      // Two instances' timers (a second service object on the same database) at once, then again: one expiry.
      const other = new RongqueService(
        service.app.get(CaseStore),
        service.app.get(AuditTrail),
        service.app.get(Clock),
        { intervalMs: 60_000, batchSize: 100, reminderMs: 24 * 3_600_000 },
      );
      await Promise.all([timer.fireDue(), other.fireDue()]);
      await timer.fireDue();
      expect(await rongqueEvents(caseId)).toEqual([
        expect.objectContaining({ kind: 'reminder' }),
        expect.objectContaining({ kind: 'expired', outstanding: ['photo'] }),
      ]);
      expect((await call('GET', `/cases/${caseId}`, XINAN)).body['rongqueExpiredAt']).toBe(now.toISOString());
      await expectEventually(
        async () => {
          const stages = (await call('GET', `/cases/${caseId}/timeline`, XINAN)).body['stages'] as {
            stage: string;
          }[];
          expect(stages.map((stage) => stage.stage)).toContain('rongque_expired');
        },
        { timeoutMs: 20000 },
      );
      const late = await call('POST', `/cases/${caseId}/supplements`, XINAN, handedBody());
      expect(late.body).toMatchObject({ handedIn: ['photo'], outstanding: [] });
      now = new Date('2026-12-04T02:00:00Z');
    });

    const handedBody = () => ({ materials: [{ code: 'photo', name: '近期免冠彩色证件照片' }] });
  });

  describe('the promised time limit (承诺时限)', () => {
    it('shows the promised due time beside the legal one, moves it with a pause, and lists cases that broke it', async () => {
      const body = socialSecurityCard('1990-03-08', ['id_card', 'photo']);
      const created = await call('POST', '/cases', XINAN, body);
      const caseId = created.body['caseId'] as string;
      const calendar = loadReferenceData().calendarForDepartment('440306-rsj');
      const legalDue = calendar.addWorkingDays(now, 15);
      const promised = calendar.addWorkingDays(now, 7); // 社保卡: promisedDays 7, legalDays 15
      await publishEvent(
        sampleEvent('case.routed', {
          caseId,
          occurredAt: now.toISOString(),
          payload: { slaDueAt: legalDue.toISOString() },
        }),
      );
      const view = async () => (await call('GET', `/cases/${caseId}`, XINAN)).body;
      await expectEventually(
        async () =>
          expect(await view()).toMatchObject({
            promisedDueAt: promised.toISOString(),
            slaDueAt: legalDue.toISOString(),
          }),
        { timeoutMs: 20000 },
      );
      // The applicant's tracking answer shows both, by receipt number and phone ending.
      const tracked = await fetch(`${service.baseUrl}/cases/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          receipt: created.body['receiptNumber'],
          phoneLast4: body.applicant.phone.slice(-4),
        }),
      });
      expect(tracked.status).toBe(200);
      expect(await tracked.json()).toMatchObject({
        promisedDueAt: promised.toISOString(),
        dueAt: legalDue.toISOString(),
      });
      const listed = async (query: string) =>
        ((await call('GET', `/cases?limit=100&${query}`, XINAN)).body['cases'] as { caseId: string }[]).some(
          (entry) => entry.caseId === caseId,
        );
      now = new Date(promised.getTime() + 60_000);
      expect(await listed('promiseBroken=true')).toBe(true);
      expect(await listed('overdue=true')).toBe(false);
      // A supplement pause moved the legal deadline by two working days: the promise moves with it.
      const twoDays = 2 * 9 * 3600;
      const resumedDue = calendar.addWorkingSeconds(legalDue, twoDays);
      await publishEvent(
        sampleEvent('case.sla', {
          caseId,
          occurredAt: new Date(promised.getTime() - 3600_000).toISOString(),
          payload: { kind: 'resumed', dueAt: resumedDue.toISOString(), departmentId: '440306-rsj' },
        }),
      );
      const movedPromise = calendar.addWorkingSeconds(promised, twoDays);
      await expectEventually(
        async () => expect((await view())['promisedDueAt']).toBe(movedPromise.toISOString()),
        { timeoutMs: 20000 },
      );
      expect(await listed('promiseBroken=true')).toBe(false);
      now = new Date('2026-12-04T02:00:00Z');
    });
  });

  describe('N证联办', () => {
    it('shows each department’s progress on the case view and the timeline: pending, then decided with its document', async () => {
      const created = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('1990-03-08', ['id_card', 'photo']),
      );
      const caseId = created.body['caseId'] as string;
      const departments = ['440306-rsj', '440306-ybj'];
      await publishEvent(
        sampleEvent('case.routed', {
          caseId,
          occurredAt: new Date(now.getTime() + 1000).toISOString(),
          payload: {
            assignments: departments.map((departmentId, index) => ({
              departmentId,
              districtCode: '440306',
              role: index === 0 ? ('primary' as const) : ('parallel' as const),
            })),
          },
        }),
      );
      const view = async () => (await call('GET', `/cases/${caseId}`, XINAN)).body;
      await expectEventually(
        async () =>
          expect((await view())['departments']).toEqual([
            { departmentId: '440306-rsj', role: 'primary', state: 'pending', documentNumber: null },
            { departmentId: '440306-ybj', role: 'parallel', state: 'pending', documentNumber: null },
          ]),
        { timeoutMs: 20000 },
      );
      const sample = sampleEvent('case.decided');
      const decidedAt = new Date(now.getTime() + 2000).toISOString();
      const documents = departments.map((departmentId, index) => ({
        number: `${departmentId}-20261204-0000${index + 1}`,
        title: `决定书${index + 1}`,
        departmentId,
        issuedAt: decidedAt,
      }));
      await publishEvent(
        sampleEvent('case.decided', {
          caseId,
          occurredAt: decidedAt,
          payload: {
            departmentDecisions: departments.map((departmentId) => ({
              ...sample.payload.departmentDecisions[0]!,
              departmentId,
              decidedAt,
            })),
            resultDocument: documents[0],
            resultDocuments: documents,
          },
        }),
      );
      await expectEventually(
        async () =>
          expect((await view())['departments']).toEqual([
            {
              departmentId: '440306-rsj',
              role: 'primary',
              state: 'approved',
              documentNumber: documents[0]!.number,
            },
            {
              departmentId: '440306-ybj',
              role: 'parallel',
              state: 'approved',
              documentNumber: documents[1]!.number,
            },
          ]),
        { timeoutMs: 20000 },
      );
      const stages = (await call('GET', `/cases/${caseId}/timeline`, XINAN)).body['stages'] as {
        stage: string;
        detail: { departments?: unknown };
      }[];
      expect(stages.find((stage) => stage.stage === 'approved')?.detail.departments).toEqual([
        { departmentId: '440306-rsj', outcome: 'approved', documentNumber: documents[0]!.number },
        { departmentId: '440306-ybj', outcome: 'approved', documentNumber: documents[1]!.number },
      ]);
    });
  });

  describe('帮办代办', () => {
    it('keeps the agent (name, relation, ID number and phone, protected) on the case and in the event', async () => {
      const agentName = '代办人测试';
      const agentIdNumber = generateResidentId({ regionCode: '440303', birthDate: '1985-06-01' });
      const agentPhone = generatePhone();
      const before = await caseCount();
      const wrong = await call('POST', '/cases', XINAN, {
        ...socialSecurityCard('1990-03-08', ['id_card', 'photo']),
        assistance: {
          mode: 'agent',
          agentName,
          relation: '配偶',
          agentIdNumber: `${agentIdNumber.slice(0, 17)}${agentIdNumber.endsWith('0') ? '1' : '0'}`,
          agentPhone: '12345',
        },
      });
      expect(wrong.status).toBe(400);
      const fields = (wrong.body['issues'] as { field: string }[]).map((issue) => issue.field).sort();
      expect(fields).toEqual(['assistance.agentIdNumber', 'assistance.agentPhone']);
      const missing = await call('POST', '/cases', XINAN, {
        ...socialSecurityCard('1990-03-08', ['id_card', 'photo']),
        assistance: { mode: 'agent', agentName, relation: '配偶' },
      });
      expect(missing.status).toBe(400);
      expect((missing.body['issues'] as { field: string }[]).map((issue) => issue.field).sort()).toEqual([
        'assistance.agentIdNumber',
        'assistance.agentPhone',
      ]);
      expect(await caseCount()).toBe(before);

      const created = await call('POST', '/cases', XINAN, {
        ...socialSecurityCard('1990-03-08', ['id_card', 'photo']),
        assistance: { mode: 'agent', agentName, relation: '配偶', agentIdNumber, agentPhone },
      });
      expect(created.status).toBe(201);
      const caseId = created.body['caseId'] as string;
      const view = await call('GET', `/cases/${caseId}`, XINAN);
      expect(view.body['assistance']).toEqual({
        mode: 'agent',
        agentName: maskName(agentName),
        relation: '配偶',
        agentIdNumber: maskResidentId(agentIdNumber),
        agentPhone: maskPhone(agentPhone),
      });
      for (const clear of [agentName, agentIdNumber, agentPhone])
        expect(JSON.stringify(view.body)).not.toContain(clear);

      // The event carries the agent sealed and hashed, for approval, delivery and notification.
      const [submitted] = (await service.dataSource.query(
        `SELECT payload FROM outbox WHERE topic = 'case.submitted' AND message_key = $1`,
        [caseId],
      )) as { payload: { version: number; payload: { assistance: Record<string, { hash?: string }> } } }[];
      expect(submitted!.payload.version).toBe(2);
      const cipher = service.app.get(PiiCipher);
      expect(submitted!.payload.payload.assistance['agentIdNumber']?.hash).toBe(
        cipher.hashResidentId(agentIdNumber),
      );
      expect(submitted!.payload.payload.assistance['agentPhone']?.hash).toBe(cipher.hashPhone(agentPhone));
      for (const clear of [agentName, agentIdNumber, agentPhone])
        expect(JSON.stringify(submitted!.payload)).not.toContain(clear);

      const self = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('1990-03-08', ['id_card', 'photo']),
      );
      expect(
        (await call('GET', `/cases/${self.body['caseId'] as string}`, XINAN)).body['assistance'],
      ).toEqual({
        mode: 'self',
      });
    });
  });

  async function publishEvent(event: { caseId: string; type: string }): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  async function caseCount(): Promise<number> {
    const [row] = (await service.dataSource.query('SELECT count(*)::int AS n FROM cases')) as { n: number }[];
    return row!.n;
  }
});
