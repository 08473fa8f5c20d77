import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@tongban/contracts';
import { createPiiCipher, generatePhone, generateResidentId, maskPhone, maskResidentId } from '@tongban/pii';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually, sampleEvent } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { DeliveryConfig } from '../config/delivery-config';
import { deliveryService } from '../delivery.service-definition';

const XINAN = 'staff-xinan'; // 宝安区新安街道, office 440306001: dispatch desk of the sample cases
const COURIER = 'courier-02';

type Body = Record<string, unknown>;

/** Couriers as the dispatch desk and the couriers meet them, through delivery's HTTP API. */
describe('delivery: field procedures (the courier registry and the courier’s day, 容缺 holds)', () => {
  let service: BootedService<DeliveryConfig>;
  let producer: Producer;
  const tokens: Record<string, string> = {};
  // The DTO wants an agreed attempt after the real time, so the service's clock runs a few days
  // ahead: 10:00 in China, three days after today.
  const day = (offset: number, utcTime: string) =>
    new Date(
      `${new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10)}T${utcTime}Z`,
    );
  let now = day(3, '02:00:00.000');

  async function call(method: 'GET' | 'POST', path: string, user: string, body?: unknown) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[user]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
  }

  async function publish(event: { type: string; caseId: string }): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  async function parcelOf(caseId: string): Promise<string> {
    return expectEventually(async () => {
      const rows = (await service.dataSource.query(`SELECT id FROM parcels WHERE case_id = $1`, [
        caseId,
      ])) as {
        id: string;
      }[];
      expect(rows).toHaveLength(1);
      return rows[0]!.id;
    });
  }

  /** A door parcel received at the 新安 desk, not yet assigned. */
  async function receivedParcel(): Promise<string> {
    const sample = sampleEvent('case.decided');
    const event: EventOf<'case.decided'> = sampleEvent('case.decided', {
      payload: {
        case: {
          ...sample.payload.case,
          delivery: {
            method: 'courier',
            address: { districtCode: '440306', street: '新安街道', detail: '宝安区新安街道测试路1号' },
          },
        },
      },
    });
    await publish(event);
    const id = await expectEventually(async () => {
      const rows = (await service.dataSource.query(`SELECT id FROM parcels WHERE case_id = $1`, [
        event.caseId,
      ])) as { id: string }[];
      expect(rows).toHaveLength(1);
      return rows[0]!.id;
    });
    expect((await call('POST', `/parcels/${id}/receive`, XINAN)).status).toBe(200);
    return id;
  }

  async function assigned(): Promise<string> {
    const id = await receivedParcel();
    expect((await call('POST', `/parcels/${id}/assign`, XINAN, { courierId: COURIER })).status).toBe(200);
    return id;
  }

  /** Picked up, out, not home; the next attempt agreed for `nextAttemptAt`. */
  async function failedOnce(nextAttemptAt: string): Promise<string> {
    const id = await assigned();
    const run = randomUUID();
    expect(
      (await call('POST', '/courier/pickups', COURIER, { parcelIds: [id], signatureRef: `sig/${run}` }))
        .status,
    ).toBe(201);
    expect((await call('POST', `/courier/parcels/${id}/out-for-delivery`, COURIER)).status).toBe(200);
    const failed = await call('POST', `/courier/parcels/${id}/failed-attempts`, COURIER, {
      reason: 'not_home',
      nextAttemptAt,
    });
    expect(failed.body).toMatchObject({ state: 'delivery_failed' });
    return id;
  }

  beforeAll(async () => {
    service = await bootService(deliveryService);
    jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => now);
    const run = randomUUID().slice(0, 8);
    tokens[XINAN] = await service.tokenFor({
      sub: `${XINAN}-${run}`,
      role: 'office_staff',
      officeId: '440306001',
    });
    tokens[COURIER] = await service.tokenFor({
      sub: `${COURIER}-${run}`,
      role: 'courier',
      courierId: COURIER,
    });
    producer = await connectTestProducer();
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  it('refuses to assign a courier who is not in the registry or is inactive, naming courierId, changing nothing', async () => {
    const id = await receivedParcel();
    for (const [courierId, reason] of [
      ['courier-77', /no courier "courier-77"/],
      ['courier-09', /inactive/],
    ] as const) {
      const answer = await call('POST', `/parcels/${id}/assign`, XINAN, { courierId });
      expect(answer.status).toBe(400);
      expect(answer.body['issues']).toEqual([{ field: 'courierId', reason: expect.stringMatching(reason) }]);
    }
    const [row] = (await service.dataSource.query(`SELECT state, courier_id FROM parcels WHERE id = $1`, [
      id,
    ])) as Body[];
    expect(row).toEqual({ state: 'ready_for_dispatch', courier_id: null });
  });

  it('lists the courier’s parcels due today: waiting now, or an attempt agreed for today', async () => {
    const waiting = await assigned();
    const thisAfternoon = await failedOnce(day(3, '08:00:00.000').toISOString()); // 16:00 in China
    const tomorrow = await failedOnce(day(4, '02:00:00.000').toISOString());
    const due = async () =>
      (
        (await call('GET', '/courier/parcels?due=today', COURIER)).body['parcels'] as { parcelId: string }[]
      ).map((parcel) => parcel.parcelId);
    const today = await due();
    expect(today).toEqual(expect.arrayContaining([waiting, thisAfternoon]));
    expect(today).not.toContain(tomorrow);
    // The next morning (China time) the agreed attempt is due.
    now = day(4, '01:00:00.000');
    expect(await due()).toEqual(expect.arrayContaining([waiting, thisAfternoon, tomorrow]));
    // Without the filter every active parcel is listed; a wrong value is a 400 naming the field.
    expect((await call('GET', '/courier/parcels?due=tomorrow', COURIER)).body['issues']).toEqual([
      { field: 'due', reason: 'must be today' },
    ]);
  });

  describe('容缺: the result is held while a material the item needs first is missing', () => {
    /** An approved 社保卡 (its rule holds the result until the photo is in) for pickup at 新安. */
    function approvedCard(missingMaterials: string[]) {
      const sample = sampleEvent('case.decided');
      return sampleEvent('case.decided', {
        payload: {
          case: {
            ...sample.payload.case,
            itemCode: 'RS-SBKSL-003',
            missingMaterials,
            delivery: { method: 'pickup', officeId: '440306001' },
          },
        },
      });
    }
    const handedIn = (caseId: string, occurredAt: string) =>
      sampleEvent('case.rongque', { caseId, occurredAt, payload: { outstanding: [], materials: ['photo'] } });

    async function atWindow(caseId: string): Promise<{ id: string; code: string }> {
      const id = await parcelOf(caseId);
      expect((await call('POST', `/parcels/${id}/receive`, XINAN)).status).toBe(200);
      // The code as the notification service gets it: sealed in the delivery.updated that issued it.
      const sealed = await expectEventually(async () => {
        const [row] = (await service.dataSource.query(
          `SELECT payload->'payload'->'pickupCode'->'code'->>'ciphertext' AS ciphertext FROM outbox
            WHERE topic = 'delivery.updated' AND payload->'payload'->>'parcelId' = $1
              AND payload->'payload' ? 'pickupCode' ORDER BY id DESC LIMIT 1`,
          [id],
        )) as { ciphertext: string }[];
        expect(row?.ciphertext).toEqual(expect.any(String));
        return row!.ciphertext;
      });
      const code = createPiiCipher(service.config).decrypt(sealed);
      expect(code).toMatch(/^\d{6}$/);
      return { id, code };
    }
    const handover = (id: string, code: string) =>
      call('POST', `/parcels/${id}/handover`, XINAN, { proof: { kind: 'pickup_code', code } });

    it('refuses the handover with the photo outstanding, then hands it over once intake reports it in', async () => {
      const decided = approvedCard(['photo']);
      await publish(decided);
      const { id, code } = await atWindow(decided.caseId);
      const held = await handover(id, code);
      expect(held.status).toBe(409);
      expect(held.body['message']).toMatch(/photo/);
      await publish(handedIn(decided.caseId, new Date().toISOString()));
      await expectEventually(async () => expect((await handover(id, code)).status).toBe(200), {
        timeoutMs: 20000,
      });
    });

    it('a hand-in reported before the decision is not undone by the older snapshot', async () => {
      const decided = approvedCard(['photo']);
      await publish(handedIn(decided.caseId, new Date().toISOString()));
      await expectEventually(async () => {
        const rows = (await service.dataSource.query(`SELECT 1 FROM rongque_outstanding WHERE case_id = $1`, [
          decided.caseId,
        ])) as unknown[];
        expect(rows).toHaveLength(1);
      });
      await publish(decided);
      const { id, code } = await atWindow(decided.caseId);
      expect((await handover(id, code)).status).toBe(200);
    });
  });

  describe('帮办代办: the agent collects for the applicant at the window', () => {
    it('shows the agent on the parcel and checks the agent’s ID before the code, counting a wrong one', async () => {
      const cipher = createPiiCipher(service.config);
      const agentId = generateResidentId({ regionCode: '440303', birthDate: '1980-02-02' });
      const agentPhone = generatePhone();
      const applicantPhone = generatePhone();
      const sample = sampleEvent('case.decided');
      const sealed = (value: string, masked: string) => ({ ciphertext: cipher.encrypt(value), masked });
      const protectedValue = (value: string, hash: string, masked: string) => ({
        ciphertext: cipher.encrypt(value),
        hash,
        masked,
      });
      const applicantId = generateResidentId({ regionCode: '440306' });
      const decided = createEvent({
        type: 'case.decided',
        version: 2,
        caseId: randomUUID(),
        producer: 'approval',
        payload: {
          ...sample.payload,
          case: {
            ...sample.payload.case,
            applicant: {
              kind: 'person',
              name: sealed('测试申请人', '测****'),
              idNumber: protectedValue(
                applicantId,
                cipher.hashResidentId(applicantId),
                maskResidentId(applicantId),
              ),
              phone: protectedValue(
                applicantPhone,
                cipher.hashPhone(applicantPhone),
                maskPhone(applicantPhone),
              ),
              householdDistrict: '440306',
              ageBand: '18-59',
            },
            delivery: { method: 'pickup', officeId: '440306001' },
            assistance: {
              mode: 'agent',
              agentName: sealed('李代办', '李**'),
              relation: '配偶',
              agentIdNumber: protectedValue(agentId, cipher.hashResidentId(agentId), maskResidentId(agentId)),
              agentPhone: protectedValue(agentPhone, cipher.hashPhone(agentPhone), maskPhone(agentPhone)),
            },
          },
        },
      });
      await publish(decided);
      const id = await parcelOf(decided.caseId);
      expect((await call('POST', `/parcels/${id}/receive`, XINAN)).status).toBe(200);
      const sealedCode = await expectEventually(async () => {
        const [row] = (await service.dataSource.query(
          `SELECT payload->'payload'->'pickupCode'->'code'->>'ciphertext' AS ciphertext FROM outbox
            WHERE topic = 'delivery.updated' AND payload->'payload'->>'parcelId' = $1
              AND payload->'payload' ? 'pickupCode' ORDER BY id DESC LIMIT 1`,
          [id],
        )) as { ciphertext: string }[];
        expect(row?.ciphertext).toEqual(expect.any(String));
        return row!.ciphertext;
      });
      const code = cipher.decrypt(sealedCode);

      const parcel = await call('GET', `/parcels/${id}`, XINAN);
      expect(parcel.body['agent']).toEqual({
        name: '李**',
        relation: '配偶',
        idNumberMasked: maskResidentId(agentId),
        phoneMasked: maskPhone(agentPhone),
      });
      expect(JSON.stringify(parcel.body)).not.toContain(cipher.hashResidentId(agentId));

      const collect = (idNumber: string) =>
        call('POST', `/parcels/${id}/handover`, XINAN, {
          proof: { kind: 'pickup_code', code },
          agent: { idNumber },
        });
      const malformed = await collect('44030319800202001');
      expect(malformed.status).toBe(400);
      expect((malformed.body['issues'] as { field: string }[]).map((issue) => issue.field)).toEqual([
        'agent.idNumber',
      ]);
      const someoneElse = generateResidentId({ regionCode: '440303', birthDate: '1981-03-03' });
      const wrong = await collect(someoneElse);
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({
        reason: 'agent_id_wrong',
        issues: [{ field: 'agent.idNumber', reason: expect.stringMatching(/does not match/) }],
      });
      const [counted] = (await service.dataSource.query(
        `SELECT proof_failures, state FROM parcels WHERE id = $1`,
        [id],
      )) as Body[];
      expect(counted).toEqual({ proof_failures: 1, state: 'ready_for_pickup' });

      // The code was not spent by the refused attempt: the agent with the right ID collects.
      const collected = await collect(agentId);
      expect(collected.status).toBe(200);
      expect(collected.body).toMatchObject({ state: 'collected' });
    });

    it('refuses an agent’s collection of a case no agent brought, naming agent.idNumber', async () => {
      const sample = sampleEvent('case.decided');
      const decided = sampleEvent('case.decided', {
        payload: { case: { ...sample.payload.case, delivery: { method: 'pickup', officeId: '440306001' } } },
      });
      await publish(decided);
      const id = await parcelOf(decided.caseId);
      expect((await call('POST', `/parcels/${id}/receive`, XINAN)).status).toBe(200);
      const answer = await call('POST', `/parcels/${id}/handover`, XINAN, {
        proof: { kind: 'pickup_code', code: '000000' },
        agent: { idNumber: generateResidentId({ regionCode: '440306' }) },
      });
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ reason: 'no_agent', issues: [{ field: 'agent.idNumber' }] });
    });
  });

  it('N证联办: the parcel and the courier’s 回执单 list every department’s document', async () => {
    const sample = sampleEvent('case.decided');
    const documents = [
      { number: '罗市监〔2026〕11号', title: '营业执照', departmentId: '440303-scjg' },
      { number: '罗税〔2026〕12号', title: '税务登记信息确认', departmentId: '440303-sw' },
      { number: '罗公〔2026〕13号', title: '公章刻制备案', departmentId: '440303-ga' },
    ];
    const issued = documents.map((document) => ({ ...document, issuedAt: new Date().toISOString() }));
    const decided = sampleEvent('case.decided', {
      payload: {
        resultDocument: issued[0],
        resultDocuments: issued,
        case: {
          ...sample.payload.case,
          delivery: {
            method: 'courier',
            address: { districtCode: '440306', street: '新安街道', detail: '宝安区新安街道测试路9号' },
          },
        },
      },
    });
    await publish(decided);
    const id = await parcelOf(decided.caseId);
    expect((await call('GET', `/parcels/${id}`, XINAN)).body['documents']).toEqual(documents);
    expect((await call('POST', `/parcels/${id}/receive`, XINAN)).status).toBe(200);
    expect((await call('POST', `/parcels/${id}/assign`, XINAN, { courierId: COURIER })).status).toBe(200);
    const pickedUp = await call('POST', '/courier/pickups', COURIER, {
      parcelIds: [id],
      signatureRef: `sig/${randomUUID()}`,
    });
    expect(pickedUp.status).toBe(201);
    const numbers = documents.map((document) => document.number);
    expect(pickedUp.body['parcels']).toEqual([
      { parcelId: id, trackingNumber: expect.any(String), documents: numbers },
    ]);
    const receipt = await call('GET', `/courier/receipts/${pickedUp.body['receiptId'] as string}`, COURIER);
    expect(receipt.status).toBe(200);
    expect(receipt.body['parcels']).toEqual([
      { parcelId: id, trackingNumber: expect.any(String), documents: numbers },
    ]);
  });
});
