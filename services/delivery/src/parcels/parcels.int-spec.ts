import { randomInt, randomUUID } from 'node:crypto';
import { type EventOf, parseEventOf, TOPICS } from '@tongban/contracts';
import {
  createPiiCipher,
  generatePhone,
  generateResidentId,
  maskPhone,
  maskResidentId,
  type PiiCipher,
} from '@tongban/pii';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import {
  connectTestProducer,
  expectEventually,
  recordTopics,
  sampleEvent,
  type TopicRecorder,
  type V1EventOf,
} from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { DeliveryConfig } from '../config/delivery-config';
import { deliveryService } from '../delivery.service-definition';

const XINAN = 'staff-xinan'; // 宝安区新安街道, office 440306001: dispatch desk of the sample cases
const LUOHU = 'staff-luohu'; // 罗湖区桂园街道, office 440303001: a pickup window
const COURIER = 'courier-01';
const OTHER_COURIER = 'courier-02';

type Body = Record<string, unknown>;

interface Applicant {
  readonly idNumber: string;
  readonly phone: string;
}

describe('delivery: parcels from decision to the applicant’s hands', () => {
  let service: BootedService<DeliveryConfig>;
  let producer: Producer;
  let recorder: TopicRecorder;
  let cipher: PiiCipher;
  const tokens: Record<string, string> = {};

  async function call(method: 'GET' | 'POST', path: string, user?: string, body?: unknown) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${tokens[user] ?? user}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text;
    return {
      status: response.status,
      body: (json ? JSON.parse(text) : undefined) as Body,
      text,
      retryAfter: response.headers.get('retry-after'),
    };
  }

  /** A decided case of a synthetic applicant, encrypted as intake would have done it. */
  function decided(
    delivery: V1EventOf<'case.decided'>['payload']['case']['delivery'],
    payload: Partial<V1EventOf<'case.decided'>['payload']> = {},
  ): { event: EventOf<'case.decided'>; applicant: Applicant } {
    const applicant = { idNumber: generateResidentId({ regionCode: '440306' }), phone: generatePhone() };
    const sample = sampleEvent('case.decided');
    const snapshot = sample.payload.case;
    const event = sampleEvent('case.decided', {
      payload: {
        ...payload,
        case: {
          ...snapshot,
          // Unique, as intake makes them: the applicant can name the parcel by it.
          receiptNumber: `440306001-20261124-${randomInt(10_000, 999_999_999)}`,
          delivery,
          applicant: {
            kind: 'person',
            name: '测试申请人',
            householdDistrict: '440306',
            idNumber: {
              ciphertext: cipher.encrypt(applicant.idNumber),
              hash: cipher.hashResidentId(applicant.idNumber),
              masked: maskResidentId(applicant.idNumber),
            },
            phone: {
              ciphertext: cipher.encrypt(applicant.phone),
              hash: cipher.hashPhone(applicant.phone),
              masked: maskPhone(applicant.phone),
            },
          },
        },
      },
    });
    return { event, applicant };
  }

  const door = () =>
    decided({
      method: 'courier',
      address: { districtCode: '440306', street: '新安街道', detail: '宝安区新安街道测试路1号' },
    });

  async function publish(event: EventOf<'case.decided'>): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  async function parcelOf(caseId: string): Promise<Body> {
    return expectEventually(async () => {
      const rows = (await service.dataSource.query(`SELECT * FROM parcels WHERE case_id = $1`, [
        caseId,
      ])) as Body[];
      expect(rows).toHaveLength(1);
      return rows[0]!;
    });
  }

  async function stateOf(parcelId: string): Promise<Body> {
    const [row] = (await service.dataSource.query(
      `SELECT state, method, office_id, courier_id, attempts, proof_failures, custodian FROM parcels WHERE id = $1`,
      [parcelId],
    )) as Body[];
    return row!;
  }

  /**
   * The parcel's latest pickup code as the notification service receives it: sealed in the
   * `delivery.updated` event on Kafka that issued it, opened with the same keys.
   */
  async function smsCode(parcelId: string): Promise<string> {
    const [{ code_issues: issue }] = (await service.dataSource.query(
      `SELECT code_issues FROM parcels WHERE id = $1`,
      [parcelId],
    )) as { code_issues: number }[];
    const sealed = await expectEventually(() => {
      const found = recorder.messages
        .map((message) => parseEventOf('delivery.updated', JSON.parse(message.value)))
        .map((event) =>
          event.version === 2 && event.payload.parcelId === parcelId ? event.payload.pickupCode : undefined,
        )
        .find((pickupCode) => pickupCode?.issue === issue);
      expect(found?.code.masked).toBe('******');
      return found!;
    });
    const code = cipher.decrypt(sealed.code.ciphertext);
    expect(code).toMatch(/^\d{6}$/);
    return code;
  }

  // Distinct events, as consumers see them: the relay publishes at least once, and a batch it
  // sends again (a broker that did not acknowledge every partition) repeats events already on Kafka.
  function updatesOf(caseId: string) {
    const events = recorder.messages
      .filter((message) => message.key === caseId)
      .map((message) => parseEventOf('delivery.updated', JSON.parse(message.value)));
    return events
      .filter((event, index) => events.findIndex((other) => other.eventId === event.eventId) === index)
      .map((event) => event.payload);
  }

  async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(service.metricsUrl)).text();
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    const line = text
      .split('\n')
      .find(
        (candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  }

  /** A door parcel received at 新安 and assigned to a courier, ready to be picked up. */
  async function assignedParcel(courier = COURIER) {
    const { event, applicant } = door();
    await publish(event);
    const parcel = await parcelOf(event.caseId);
    const id = parcel['id'] as string;
    expect((await call('POST', `/parcels/${id}/receive`, XINAN)).status).toBe(200);
    expect((await call('POST', `/parcels/${id}/assign`, XINAN, { courierId: courier })).status).toBe(200);
    return { id, event, applicant, parcel };
  }

  beforeAll(async () => {
    service = await bootService(deliveryService, {
      DELIVERY_MAX_FAILED_ATTEMPTS: '2',
      DELIVERY_MAX_PROOF_FAILURES: '3',
      DELIVERY_CODE_CHECKS_PER_MINUTE: '12',
    });
    cipher = createPiiCipher(service.config);
    // The seeded users' scopes under subjects of this run: the proof-check budget in Redis is
    // per subject, so a rerun within the minute starts from zero.
    const run = randomUUID().slice(0, 8);
    tokens[XINAN] = await service.tokenFor({
      sub: `${XINAN}-${run}`,
      role: 'office_staff',
      officeId: '440306001',
    });
    tokens[LUOHU] = await service.tokenFor({
      sub: `${LUOHU}-${run}`,
      role: 'office_staff',
      officeId: '440303001',
    });
    for (const courier of [COURIER, OTHER_COURIER]) {
      tokens[courier] = await service.tokenFor({
        sub: `${courier}-${run}`,
        role: 'courier',
        courierId: courier,
      });
    }
    tokens['operator'] = await service.tokenFor('operator');
    recorder = await recordTopics([TOPICS.deliveryUpdated]);
    producer = await connectTestProducer();
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    await service?.close();
  });

  it('opens the name and address intake sealed in a v2 case.decided, for the courier only', async () => {
    const { event: v1 } = door();
    const applicant = v1.payload.case.applicant;
    if (applicant.kind !== 'person' || v1.payload.case.delivery.method !== 'courier')
      throw new Error('door()');
    const event = {
      ...v1,
      version: 2,
      payload: {
        ...v1.payload,
        case: {
          ...v1.payload.case,
          applicant: {
            kind: 'person',
            name: { ciphertext: cipher.encrypt('封存申请人'), masked: '封****' },
            idNumber: applicant.idNumber,
            phone: applicant.phone,
            householdDistrict: applicant.householdDistrict,
            ageBand: '18-59',
          },
          delivery: {
            method: 'courier',
            address: {
              ...v1.payload.case.delivery.address,
              detail: { ciphertext: cipher.encrypt('新安一路15号'), masked: '新安一路**号' },
            },
          },
        },
      },
    } as unknown as EventOf<'case.decided'>;
    await publish(parseEventOf('case.decided', event));
    const parcel = await parcelOf(event.caseId);
    expect(parcel).toMatchObject({
      recipient_name: '封存申请人',
      address: { districtCode: '440306', street: '新安街道', detail: '新安一路15号' },
    });
  });

  it('delivers to the door after one failed attempt and a reschedule, with a receipt and the whole chain of custody', async () => {
    const { event, applicant } = door();
    await publish(event);
    const parcel = await parcelOf(event.caseId);
    const id = parcel['id'] as string;
    expect(parcel).toMatchObject({
      state: 'created',
      method: 'courier',
      office_id: '440306001',
      kind: 'result',
      custodian: 'department:440306-rsj',
    });
    expect(parcel['tracking_number']).toMatch(/^TB\d{12}$/);
    // The clear values never reach the table; the code is a keyed hash.
    expect(JSON.stringify(parcel)).not.toContain(applicant.phone);
    expect(JSON.stringify(parcel)).not.toContain(applicant.idNumber);
    const code = await smsCode(id);
    expect(JSON.stringify(parcel)).not.toContain(code);

    expect((await call('POST', `/parcels/${id}/receive`, XINAN)).body).toMatchObject({
      state: 'ready_for_dispatch',
    });
    expect((await call('POST', `/parcels/${id}/assign`, XINAN, { courierId: COURIER })).body).toMatchObject({
      courierId: COURIER,
    });

    const mine = await call('GET', '/courier/parcels', COURIER);
    expect((mine.body['parcels'] as Body[]).map((p) => p['parcelId'])).toContain(id);

    const pickup = await call('POST', '/courier/pickups', COURIER, {
      parcelIds: [id],
      signatureRef: 'sig/courier-01/1',
    });
    expect(pickup.status).toBe(201);
    expect(pickup.body).toMatchObject({
      courierId: COURIER,
      officeId: '440306001',
      parcels: [{ parcelId: id, trackingNumber: parcel['tracking_number'] }],
    });
    const receipt = await call('GET', `/courier/receipts/${pickup.body['receiptId'] as string}`, COURIER);
    expect(receipt.body).toEqual(pickup.body);

    // The courier may call the applicant, and sees only the masked ID number.
    const detail = await call('GET', `/courier/parcels/${id}`, COURIER);
    expect(detail.body['recipient']).toEqual({
      name: '测试申请人',
      phone: applicant.phone,
      phoneMasked: maskPhone(applicant.phone),
      idNumberMasked: maskResidentId(applicant.idNumber),
    });
    expect(detail.text).not.toContain(applicant.idNumber);
    // Opening the phone number is audited: who saw whose contact, and when.
    const reads = (await service.dataSource.query(
      `SELECT action, actor_sub, detail FROM audit_log WHERE object_id = $1 AND action LIKE 'parcel.read-%'`,
      [id],
    )) as { action: string; actor_sub: string; detail: { caseIds: string[] } }[];
    expect(reads).toEqual([
      {
        action: 'parcel.read-contact',
        actor_sub: expect.stringMatching(/^courier-01/),
        detail: expect.objectContaining({ caseIds: [event.caseId] }),
      },
    ]);

    expect((await call('POST', `/courier/parcels/${id}/out-for-delivery`, COURIER)).body).toMatchObject({
      state: 'out_for_delivery',
    });
    const nextAttemptAt = new Date(Date.now() + 86_400_000).toISOString();
    const failed = await call('POST', `/courier/parcels/${id}/failed-attempts`, COURIER, {
      reason: 'not_home',
      nextAttemptAt,
    });
    expect(failed.body).toMatchObject({
      state: 'delivery_failed',
      attempts: 1,
      failureReason: 'not_home',
      nextAttemptAt,
    });
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(
      (await call('POST', `/courier/parcels/${id}/reschedule`, COURIER, { nextAttemptAt: later })).body,
    ).toMatchObject({ state: 'rescheduled', nextAttemptAt: later });
    expect((await call('POST', `/courier/parcels/${id}/out-for-delivery`, COURIER)).status).toBe(200);
    const delivered = await call('POST', `/courier/parcels/${id}/delivered`, COURIER, {
      proof: { kind: 'pickup_code', code },
      signatureRef: 'sig/applicant/1',
    });
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ state: 'delivered', custodian: 'applicant', attempts: 1 });

    const full = await call('GET', `/parcels/${id}`, XINAN);
    expect((full.body['custody'] as Body[]).map((h) => [h['from'], h['to'], h['place']])).toEqual([
      ['department:440306-rsj', 'office:440306001', 'office:440306001'],
      ['office:440306001', 'courier:courier-01', 'office:440306001'],
      ['courier:courier-01', 'applicant', 'address:440306'],
    ]);
    expect((full.body['custody'] as Body[])[1]).toMatchObject({
      receiptId: pickup.body['receiptId'],
      actor: { sub: expect.stringMatching(/^courier-01-/), role: 'courier' },
    });
    expect((full.body['history'] as Body[]).map((h) => h['to'])).toEqual([
      'created',
      'ready_for_dispatch',
      'ready_for_dispatch',
      'picked_up',
      'out_for_delivery',
      'delivery_failed',
      'rescheduled',
      'out_for_delivery',
      'delivered',
    ]);

    // Every state change went out as delivery.updated, in order, keyed by the case.
    await expectEventually(() =>
      expect(updatesOf(event.caseId).map((update) => update.state)).toEqual([
        'created',
        'ready_for_dispatch',
        'picked_up',
        'out_for_delivery',
        'delivery_failed',
        'rescheduled',
        'out_for_delivery',
        'delivered',
      ]),
    );
    const failure = updatesOf(event.caseId).find((update) => update.state === 'delivery_failed');
    expect(failure).toMatchObject({
      failureReason: 'not_home',
      attempt: 1,
      nextAttemptAt,
      courierId: COURIER,
    });
    for (const message of recorder.messages.filter((m) => m.key === event.caseId)) {
      expect(message.value).not.toContain(applicant.phone);
    }

    expect(
      await metric('tongban_delivery_failed_attempts_total', { reason: 'not_home' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await metric('tongban_delivery_attempts_per_delivery_count')).toBeGreaterThanOrEqual(1);
    expect(await metric('tongban_delivery_attempts_per_delivery_bucket', { le: '1' })).toBe(0);
    expect(
      await metric('tongban_delivery_decision_to_handover_seconds_count', {
        method: 'courier',
        outcome: 'delivered',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric('tongban_delivery_parcels', {
        state: 'delivered',
        office: '440306001',
        method: 'courier',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('hands over at the window: a wrong code is refused and counted, the right one works once', async () => {
    const { event } = decided({ method: 'pickup', officeId: '440303001' });
    await publish(event);
    const parcel = await parcelOf(event.caseId);
    const id = parcel['id'] as string;
    expect(parcel).toMatchObject({ method: 'pickup', office_id: '440303001', state: 'created' });
    expect((await call('POST', `/parcels/${id}/receive`, LUOHU)).body).toMatchObject({
      state: 'ready_for_pickup',
    });
    const code = await smsCode(id);
    expect(
      await metric('tongban_delivery_window_waiting_parcels', { office: '440303001' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric('tongban_delivery_window_oldest_waiting_age_seconds', { office: '440303001' }),
    ).toBeGreaterThan(0);

    const wrongBefore = await metric('tongban_delivery_proof_checks_total', {
      channel: 'window',
      proof: 'pickup_code',
      result: 'wrong',
    });
    const wrongCode = code === '000000' ? '000001' : '000000';
    const wrong = await call('POST', `/parcels/${id}/handover`, LUOHU, {
      proof: { kind: 'pickup_code', code: wrongCode },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ reason: 'proof_wrong', remainingAttempts: 2 });
    expect(await stateOf(id)).toMatchObject({ state: 'ready_for_pickup', proof_failures: 1 });
    expect(
      await metric('tongban_delivery_proof_checks_total', {
        channel: 'window',
        proof: 'pickup_code',
        result: 'wrong',
      }),
    ).toBe(wrongBefore + 1);
    const [denied] = (await service.dataSource.query(
      `SELECT actor_sub, result FROM audit_log WHERE object_id = $1 AND action = 'parcel.collect'`,
      [id],
    )) as Body[];
    expect(denied).toEqual({ actor_sub: expect.stringMatching(/^staff-luohu-/), result: 'denied' });

    const right = await call('POST', `/parcels/${id}/handover`, LUOHU, {
      proof: { kind: 'pickup_code', code },
    });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ state: 'collected', custodian: 'applicant' });
    // Single use, and a collected parcel cannot be collected again.
    expect(
      (await call('POST', `/parcels/${id}/handover`, LUOHU, { proof: { kind: 'pickup_code', code } })).status,
    ).toBe(409);
    await expectEventually(() =>
      expect(updatesOf(event.caseId).map((update) => update.state)).toEqual([
        'created',
        'ready_for_pickup',
        'collected',
      ]),
    );
  });

  it('locks a parcel after too many wrong codes until staff send a new one', async () => {
    const { event } = decided({ method: 'pickup', officeId: '440303001' });
    await publish(event);
    const id = (await parcelOf(event.caseId))['id'] as string;
    await call('POST', `/parcels/${id}/receive`, LUOHU);
    const first = await smsCode(id);
    const wrong = first === '999999' ? '999998' : '999999';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (
          await call('POST', `/parcels/${id}/handover`, LUOHU, {
            proof: { kind: 'pickup_code', code: wrong },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([422, 422, 422]);
    const locked = await call('POST', `/parcels/${id}/handover`, LUOHU, {
      proof: { kind: 'pickup_code', code: first },
    });
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ reason: 'proof_locked' });

    const reissued = await call('POST', `/parcels/${id}/pickup-code`, LUOHU);
    expect(reissued.status).toBe(201);
    expect(Object.keys(reissued.body).sort()).toEqual(['expiresAt', 'sentTo']);
    const second = await smsCode(id);
    expect(
      (await call('POST', `/parcels/${id}/handover`, LUOHU, { proof: { kind: 'pickup_code', code: second } }))
        .body,
    ).toMatchObject({ state: 'collected' });
  });

  it('limits how fast one member of staff can try codes, across parcels (Redis)', async () => {
    const guesser = await service.tokenFor({
      sub: `staff-guesser-${randomUUID()}`,
      role: 'office_staff',
      officeId: '440303001',
    });
    const { event } = decided({ method: 'pickup', officeId: '440303001' });
    await publish(event);
    const id = (await parcelOf(event.caseId))['id'] as string;
    const answers: { status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 13; i += 1) {
      answers.push(
        await call('POST', `/parcels/${id}/handover`, guesser, {
          proof: { kind: 'pickup_code', code: '123456' },
        }),
      );
    }
    // Twelve checks a minute (DELIVERY_CODE_CHECKS_PER_MINUTE); the parcel is not at the window yet (409).
    expect(answers.slice(0, 12).map((answer) => answer.status)).toEqual(Array(12).fill(409));
    expect(answers[12]?.status).toBe(429);
    expect(Number(answers[12]?.retryAfter)).toBeGreaterThan(0);
  });

  it('keeps couriers to their own parcels: another courier’s parcel is a 404 for every route', async () => {
    const { id } = await assignedParcel(COURIER);
    expect((await call('GET', `/courier/parcels/${id}`, OTHER_COURIER)).status).toBe(404);
    const theirs = await call('GET', '/courier/parcels?includeFinal=true', OTHER_COURIER);
    expect((theirs.body['parcels'] as Body[]).map((p) => p['parcelId'])).not.toContain(id);
    expect(
      (await call('POST', '/courier/pickups', OTHER_COURIER, { parcelIds: [id], signatureRef: 'sig/2' }))
        .status,
    ).toBe(404);
    for (const [path, body] of [
      ['out-for-delivery', undefined],
      ['delivered', { proof: { kind: 'id_last4', idLast4: '1234' }, photoRef: 'photo/1' }],
      ['failed-attempts', { reason: 'not_home' }],
      ['reschedule', { nextAttemptAt: new Date(Date.now() + 3_600_000).toISOString() }],
    ] as const) {
      expect((await call('POST', `/courier/parcels/${id}/${path}`, OTHER_COURIER, body)).status).toBe(404);
    }
    // Nor do other offices' staff see it; couriers cannot use the office routes.
    expect((await call('GET', `/parcels/${id}`, LUOHU)).status).toBe(404);
    expect((await call('POST', `/parcels/${id}/receive`, LUOHU)).status).toBe(404);
    expect((await call('GET', `/parcels/${id}`, COURIER)).status).toBe(403);
    expect(await stateOf(id)).toMatchObject({ state: 'ready_for_dispatch', courier_id: COURIER });
  });

  it('answers an illegal transition (deliver before pick-up) with 409 and changes nothing', async () => {
    const { id, event, applicant } = await assignedParcel(COURIER);
    await expectEventually(() => expect(updatesOf(event.caseId)).toHaveLength(2));
    const before = await stateOf(id);
    const history = (await service.dataSource.query(
      `SELECT count(*)::int AS n FROM parcel_history WHERE parcel_id = $1`,
      [id],
    )) as { n: number }[];
    const outbox = (await service.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as {
      n: number;
    }[];
    const code = await smsCode(id);

    const early = await call('POST', `/courier/parcels/${id}/delivered`, COURIER, {
      proof: { kind: 'pickup_code', code },
      signatureRef: 'sig/early',
    });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ reason: 'illegal_transition', state: 'ready_for_dispatch' });
    const byId = await call('POST', `/courier/parcels/${id}/delivered`, COURIER, {
      proof: { kind: 'id_last4', idLast4: applicant.idNumber.slice(-4) },
      photoRef: 'photo/early',
    });
    expect(byId.status).toBe(409);
    expect(
      (await call('POST', `/courier/parcels/${id}/failed-attempts`, COURIER, { reason: 'refused' })).status,
    ).toBe(409);

    expect(await stateOf(id)).toEqual(before);
    expect(
      await service.dataSource.query(`SELECT count(*)::int AS n FROM parcel_history WHERE parcel_id = $1`, [
        id,
      ]),
    ).toEqual(history);
    expect(await service.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)).toEqual(outbox);
    // The code was not used up by the refused attempt.
    const pickup = await call('POST', '/courier/pickups', COURIER, {
      parcelIds: [id],
      signatureRef: 'sig/ok',
    });
    expect(pickup.status).toBe(201);
    await call('POST', `/courier/parcels/${id}/out-for-delivery`, COURIER);
    expect(
      (
        await call('POST', `/courier/parcels/${id}/delivered`, COURIER, {
          proof: { kind: 'pickup_code', code },
          signatureRef: 'sig/ok',
        })
      ).body,
    ).toMatchObject({ state: 'delivered' });
  });

  it('reads the time from the injected Clock: a pick-up’s receipt and the parcel’s state time follow it', async () => {
    const { id } = await assignedParcel();
    const instant = new Date('2027-03-01T02:00:00.000Z'); // 10:00 in Shenzhen
    const clock = jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => new Date(instant));
    try {
      const pickup = await call('POST', '/courier/pickups', COURIER, {
        parcelIds: [id],
        signatureRef: 'sig/courier-01/clock',
      });
      expect(pickup.status).toBe(201);
      expect(pickup.body['signedAt']).toBe(instant.toISOString());
      expect(pickup.body['receiptNumber']).toMatch(/^HD-440306001-20270301-[0-9A-F]{6}$/);
      expect((await call('GET', `/parcels/${id}`, XINAN)).body['stateAt']).toBe(instant.toISOString());
    } finally {
      clock.mockRestore();
    }
  });

  it('creates no second parcel when case.decided is replayed or re-emitted', async () => {
    const { event } = door();
    await publish(event);
    const parcel = await parcelOf(event.caseId);
    await publish(event); // the same event again, as after a replay from the dead-letter topic
    await publish({ ...event, eventId: randomUUID() }); // the same decision re-emitted
    const marker = door().event;
    await publish(marker);
    await parcelOf(marker.caseId); // later events of the partition were handled, so these were too
    await expectEventually(async () => {
      const [claims] = (await service.dataSource.query(
        `SELECT count(*)::int AS n FROM processed_events WHERE handler = 'delivery.case-decided' AND event_id = ANY($1)`,
        [[event.eventId, marker.eventId]],
      )) as { n: number }[];
      expect(claims!.n).toBe(2);
    });
    const rows = (await service.dataSource.query(`SELECT id FROM parcels WHERE case_id = $1`, [
      event.caseId,
    ])) as Body[];
    expect(rows).toEqual([{ id: parcel['id'] }]);
    await expectEventually(() => expect(updatesOf(marker.caseId)).toHaveLength(1));
    expect(updatesOf(event.caseId)).toHaveLength(1);
  });

  it('returns a parcel to the window after the last allowed failed attempt, for pickup there', async () => {
    const { id } = await assignedParcel(COURIER);
    await call('POST', '/courier/pickups', COURIER, { parcelIds: [id], signatureRef: 'sig/3' });
    for (const reason of ['not_home', 'unreachable_by_phone']) {
      await call('POST', `/courier/parcels/${id}/out-for-delivery`, COURIER);
      await call('POST', `/courier/parcels/${id}/failed-attempts`, COURIER, { reason });
      if (reason === 'not_home') {
        await call('POST', `/courier/parcels/${id}/reschedule`, COURIER, {
          nextAttemptAt: new Date(Date.now() + 3_600_000).toISOString(),
        });
      }
    }
    const refused = await call('POST', `/courier/parcels/${id}/reschedule`, COURIER, {
      nextAttemptAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(refused.status).toBe(409);
    expect(refused.body['message']).toMatch(/2 failed attempts reached the limit of 2/);

    const returned = await call('POST', `/parcels/${id}/return-to-window`, XINAN);
    expect(returned.body).toMatchObject({ state: 'returned_to_window', method: 'pickup', courierId: null });
    expect((await call('GET', `/courier/parcels/${id}`, COURIER)).status).toBe(404);
    const code = await smsCode(id);
    expect(
      (await call('POST', `/parcels/${id}/handover`, XINAN, { proof: { kind: 'pickup_code', code } })).body,
    ).toMatchObject({ state: 'collected' });
  });

  it('lets the applicant switch a door delivery to pickup at another office while it has not left', async () => {
    const { event, applicant } = door();
    await publish(event);
    const parcel = await parcelOf(event.caseId);
    const id = parcel['id'] as string;
    const proof = { trackingNumber: parcel['tracking_number'], phoneLast4: applicant.phone.slice(-4) };

    expect(
      (
        await call('POST', '/parcels/switch-to-pickup', undefined, {
          ...proof,
          phoneLast4: '0000',
          officeId: '440303001',
        })
      ).status,
    ).toBe(applicant.phone.endsWith('0000') ? 200 : 404);
    expect(
      (await call('POST', '/parcels/switch-to-pickup', undefined, { ...proof, officeId: '440306001002' }))
        .body,
    ).toMatchObject({ issues: [{ field: 'officeId' }] });
    const switched = await call('POST', '/parcels/switch-to-pickup', undefined, {
      ...proof,
      officeId: '440303001',
    });
    expect(switched.body).toMatchObject({ method: 'pickup', officeId: '440303001', state: 'created' });
    expect((await call('POST', `/parcels/${id}/receive`, LUOHU)).body).toMatchObject({
      state: 'ready_for_pickup',
    });
    const code = await smsCode(id);
    expect(
      (await call('POST', `/parcels/${id}/handover`, LUOHU, { proof: { kind: 'pickup_code', code } })).body,
    ).toMatchObject({ state: 'collected' });

    // Guessing the phone ending is bounded per tracking number (10 tries an hour, right or wrong).
    const guesses: { status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 9; i += 1) {
      guesses.push(
        await call('POST', '/parcels/switch-to-pickup', undefined, { ...proof, officeId: '440303001' }),
      );
    }
    // Two tries above, eight here: all answered (409, already a pickup parcel); the eleventh is not.
    expect(guesses.slice(0, 8).map((guess) => guess.status)).toEqual(Array(8).fill(409));
    expect(guesses[8]?.status).toBe(429);
    expect(Number(guesses[8]?.retryAfter)).toBeGreaterThan(3000);

    // Once a courier has it, it is too late.
    const { id: gone, parcel: goneParcel, applicant: other } = await assignedParcel(COURIER);
    await call('POST', '/courier/pickups', COURIER, { parcelIds: [gone], signatureRef: 'sig/4' });
    const late = await call('POST', '/parcels/switch-to-pickup', undefined, {
      trackingNumber: goneParcel['tracking_number'],
      phoneLast4: other.phone.slice(-4),
      officeId: '440303001',
    });
    expect(late.status).toBe(409);
    expect(late.body['message']).toMatch(/has left/);
  });

  it('lets the applicant switch by the receipt number on the 受理回执, sharing the parcel’s try budget', async () => {
    const { event, applicant } = door();
    await publish(event);
    const parcel = await parcelOf(event.caseId);
    const byReceipt = { receipt: event.payload.case.receiptNumber, phoneLast4: applicant.phone.slice(-4) };
    const both = await call('POST', '/parcels/switch-to-pickup', undefined, {
      ...byReceipt,
      trackingNumber: parcel['tracking_number'],
      officeId: '440303001',
    });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ issues: [{ field: 'receipt' }] });
    const switched = await call('POST', '/parcels/switch-to-pickup', undefined, {
      ...byReceipt,
      officeId: '440303001',
    });
    expect(switched.body).toMatchObject({ method: 'pickup', officeId: '440303001' });
    // Tries by receipt and by tracking number count against one budget of 10 an hour.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const proof =
        i % 2 === 0
          ? byReceipt
          : { trackingNumber: parcel['tracking_number'], phoneLast4: byReceipt.phoneLast4 };
      statuses.push(
        (await call('POST', '/parcels/switch-to-pickup', undefined, { ...proof, officeId: '440303001' }))
          .status,
      );
    }
    expect(statuses).toEqual([...Array(9).fill(409), 429]);
  });

  it('posts a postal delivery with the post’s tracking number and records its delivery', async () => {
    const { event } = decided({
      method: 'post',
      address: { districtCode: '440303', detail: '罗湖区测试路2号' },
    });
    await publish(event);
    const id = (await parcelOf(event.caseId))['id'] as string;
    await call('POST', `/parcels/${id}/receive`, XINAN);
    expect((await call('POST', `/parcels/${id}/assign`, XINAN, { courierId: COURIER })).status).toBe(409);
    const posted = await call('POST', `/parcels/${id}/post`, XINAN, {
      postalTrackingNumber: 'EMS1234567890CN',
    });
    expect(posted.body).toMatchObject({
      state: 'posted',
      custodian: 'post',
      postalTrackingNumber: 'EMS1234567890CN',
    });
    expect((await call('POST', `/parcels/${id}/post-delivered`, XINAN)).body).toMatchObject({
      state: 'delivered',
      custodian: 'applicant',
    });
    await expectEventually(() =>
      expect(updatesOf(event.caseId).map((update) => [update.method, update.state])).toEqual([
        ['post', 'created'],
        ['post', 'ready_for_dispatch'],
        ['post', 'posted'],
        ['post', 'delivered'],
      ]),
    );
  });

  it('sends a paper rejection notice only when the applicant asked for one', async () => {
    const rejection = {
      outcome: 'rejected' as const,
      resultDocument: undefined,
      rejection: { reasonCode: 'not_eligible', text: '不符合申领条件' },
    };
    const silent = decided(
      { method: 'pickup', officeId: '440306001' },
      { ...rejection, paperNoticeRequested: false },
    );
    const paper = decided(
      { method: 'pickup', officeId: '440306001' },
      { ...rejection, paperNoticeRequested: true },
    );
    await publish(silent.event);
    await publish(paper.event);
    expect(await parcelOf(paper.event.caseId)).toMatchObject({ kind: 'rejection_notice', method: 'pickup' });
    await expectEventually(async () => {
      const [claims] = (await service.dataSource.query(
        `SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1`,
        [silent.event.eventId],
      )) as { n: number }[];
      expect(claims!.n).toBe(1);
    });
    expect(
      await service.dataSource.query(`SELECT id FROM parcels WHERE case_id = $1`, [silent.event.caseId]),
    ).toEqual([]);
  });

  it('refuses bad input with the offending fields and lets operators read but not act', async () => {
    const { id } = await assignedParcel(COURIER);
    const bad = await call('POST', `/courier/parcels/${id}/failed-attempts`, COURIER, {
      reason: 'dog',
      nextAttemptAt: '2001-01-01T00:00:00Z',
    });
    expect(bad.status).toBe(400);
    expect((bad.body['issues'] as Body[]).map((issue) => issue['field']).sort()).toEqual([
      'nextAttemptAt',
      'reason',
    ]);
    const noEvidence = await call('POST', `/courier/parcels/${id}/delivered`, COURIER, {
      proof: { kind: 'pickup_code', code: '123456' },
    });
    expect(noEvidence.body).toMatchObject({ issues: [{ field: 'signatureRef' }] });
    expect((await call('GET', `/parcels/${id}`, 'operator')).status).toBe(200);
    expect((await call('POST', `/parcels/${id}/receive`, 'operator')).status).toBe(403);
    expect((await call('GET', '/parcels', undefined)).status).toBe(401);
  });
});
