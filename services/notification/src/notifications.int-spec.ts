import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf, parseEventOf, type TongbanEvent } from '@tongban/contracts';
import { createPiiCipher, generatePhone, maskPhone, type PiiCipher } from '@tongban/pii';
import { type BootedService, bootService } from '@tongban/service-testing';
import { type LocalSmsGateway, startLocalSmsGateway } from '@tongban/sms';
import { connectTestProducer, expectEventually, sampleEvent } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { NotificationConfig } from './config/notification-config';
import { notificationService } from './notification.service-definition';

const SMS = {
  secretId: 'AKIDnotificationtest',
  secretKey: 'notification-test-secret',
  smsSdkAppId: '1400000018',
};

interface Row {
  readonly kind: string;
  readonly round: number;
  readonly status: string;
  readonly attempts: number;
  readonly last_error: string | null;
}

describe('notification: applicants’ text messages from the events to the phone', () => {
  let gateway: LocalSmsGateway;
  let service: BootedService<NotificationConfig>;
  let producer: Producer;
  let cipher: PiiCipher;

  beforeAll(async () => {
    gateway = await startLocalSmsGateway(SMS);
    service = await bootService(notificationService, {
      SMS_ENDPOINT: gateway.url,
      SMS_SECRET_ID: SMS.secretId,
      SMS_SECRET_KEY: SMS.secretKey,
      SMS_SDK_APP_ID: SMS.smsSdkAppId,
      SMS_POLL_MS: '100',
      SMS_STATUS_POLL_MS: '200',
      SMS_RETRY_INITIAL_MS: '100',
      SMS_RETRY_MAX_MS: '400',
      SMS_MAX_ATTEMPTS: '3',
      SMS_QUIET_HOURS: 'off',
      SMS_PER_PHONE_PER_HOUR: '3',
    });
    cipher = createPiiCipher(service.config);
    producer = await connectTestProducer();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
    await gateway?.close();
  });

  afterEach(() => gateway.setMode('ok'));

  async function publish(...events: TongbanEvent[]): Promise<void> {
    for (const event of events) {
      await producer.send({
        topic: event.type,
        acks: -1,
        messages: [{ key: event.caseId, value: JSON.stringify(event) }],
      });
    }
  }

  function sealedPhone(phone: string) {
    return { ciphertext: cipher.encrypt(phone), hash: cipher.hashPhone(phone), masked: maskPhone(phone) };
  }

  function submitted(phone: string, caseId = randomUUID()): EventOf<'case.submitted'> {
    const sample = sampleEvent('case.submitted', { caseId });
    return sampleEvent('case.submitted', {
      caseId,
      payload: {
        receiptNumber: `440306001-20261204-${caseId.slice(0, 4)}`,
        applicant: { ...sample.payload.applicant, phone: sealedPhone(phone) },
      },
    });
  }

  function windowCode(caseId: string, code: string, issue: number): EventOf<'delivery.updated'> {
    return parseEventOf('delivery.updated', {
      eventId: randomUUID(),
      type: 'delivery.updated',
      version: 2,
      occurredAt: new Date().toISOString(),
      caseId,
      producer: 'delivery',
      payload: {
        parcelId: randomUUID(),
        trackingNumber: `TB${caseId.slice(0, 8)}`,
        method: 'pickup',
        state: 'ready_for_pickup',
        previousState: issue === 1 ? 'ready_for_dispatch' : 'ready_for_pickup',
        attempt: 0,
        officeId: '440306001001',
        place: 'office:440306001001',
        actor: { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001001' },
        pickupCode: {
          code: { ciphertext: cipher.encrypt(code), masked: '******' },
          expiresAt: '2026-12-18T02:00:00.000Z',
          issue,
        },
      },
    });
  }

  async function rowsOf(caseId: string): Promise<Row[]> {
    return (await service.dataSource.query(
      `SELECT kind, round, status, attempts, last_error FROM notifications WHERE case_id = $1 ORDER BY created_at, kind`,
      [caseId],
    )) as Row[];
  }

  it('texts the receipt, then the window code with the office’s name, address and hours; delivered by report', async () => {
    const phone = generatePhone();
    const accepted = submitted(phone);
    await publish(accepted, windowCode(accepted.caseId, '482913', 1));
    const texts = await expectEventually(() => {
      const inbox = gateway.inbox(phone).map((m) => m.text);
      expect(inbox).toHaveLength(2);
      return inbox;
    });
    expect(texts[0]).toBe(
      `【通办通取】您的失业保险金申领申请已受理，受理编号${accepted.payload.receiptNumber}，承诺${texts[0]!.match(/承诺(\d{4}-\d{2}-\d{2})前/)![1]}前办结。可凭受理编号和手机尾号四位在http://127.0.0.1:3001/applicant查询进度。`,
    );
    expect(texts[1]).toBe(
      `【通办通取】您的办件结果（运单号TB${accepted.caseId.slice(0, 8)}）已到新安街道上川社区党群服务中心（深圳市宝安区新安街道上川社区服务站1楼），办公时间工作日09:00-18:00，周六09:00-17:00，请凭取件码482913领取，2026-12-18前有效。`,
    );
    await expectEventually(async () =>
      expect((await rowsOf(accepted.caseId)).map((r) => [r.kind, r.status])).toEqual([
        ['accepted', 'delivered'],
        ['ready_for_pickup', 'delivered'],
      ]),
    );
    // The code is stored and published sealed only.
    const stored = JSON.stringify(await service.dataSource.query(`SELECT * FROM notifications`));
    expect(stored).not.toContain('482913');
    expect(stored).not.toContain(phone);
  });

  it('sends one message per (case, kind, round): a redelivered or re-emitted event adds none; a reissued code is new', async () => {
    const phone = generatePhone();
    const accepted = submitted(phone);
    const first = windowCode(accepted.caseId, '111111', 1);
    await publish(
      accepted,
      accepted,
      first,
      { ...first, eventId: randomUUID() },
      windowCode(accepted.caseId, '222222', 2),
    );
    await expectEventually(async () =>
      expect((await rowsOf(accepted.caseId)).map((r) => [r.kind, r.round, r.status])).toEqual([
        ['accepted', 1, 'delivered'],
        ['ready_for_pickup', 1, 'delivered'],
        ['ready_for_pickup', 2, 'delivered'],
      ]),
    );
    expect(gateway.inbox(phone).map((m) => /取件码(\d{6})/.exec(m.text)?.[1] ?? 'receipt')).toEqual([
      'receipt',
      '111111',
      '222222',
    ]);
  });

  it('waits for a message whose case is not known yet, and sends it once the case arrives', async () => {
    const phone = generatePhone();
    const accepted = submitted(phone);
    await publish(windowCode(accepted.caseId, '333333', 1));
    await expectEventually(async () =>
      expect((await rowsOf(accepted.caseId)).map((r) => r.status)).toEqual(['queued']),
    );
    expect(gateway.inbox(phone)).toEqual([]);
    await publish(accepted);
    await expectEventually(() => expect(gateway.inbox(phone)).toHaveLength(2));
  });

  it('keeps messages through a provider outage and sends each exactly once when it is back', async () => {
    gateway.setMode('down');
    const phone = generatePhone();
    const accepted = submitted(phone);
    await publish(accepted);
    await expectEventually(async () =>
      expect(await rowsOf(accepted.caseId)).toEqual([
        expect.objectContaining({ kind: 'accepted', status: 'queued', attempts: 1, last_error: 'HTTP503' }),
      ]),
    );
    expect(gateway.inbox(phone)).toEqual([]);
    gateway.setMode('ok');
    await expectEventually(async () =>
      expect((await rowsOf(accepted.caseId)).map((r) => r.status)).toEqual(['delivered']),
    );
    expect(gateway.inbox(phone)).toHaveLength(1);
  });

  it('dead-letters a message after the last attempt; an operator puts it back once the cause is fixed', async () => {
    gateway.setMode('throttled');
    const phone = generatePhone();
    const accepted = submitted(phone);
    await publish(accepted);
    await expectEventually(async () =>
      expect(await rowsOf(accepted.caseId)).toEqual([
        expect.objectContaining({ status: 'failed', attempts: 3, last_error: 'RequestLimitExceeded' }),
      ]),
    );
    gateway.setMode('ok');
    const operator = await service.tokenFor('operator');
    const listed = await fetch(`${service.baseUrl}/notifications?status=failed&caseId=${accepted.caseId}`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    const { items } = (await listed.json()) as { items: { id: string; phoneMasked: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]!.phoneMasked).toBe(maskPhone(phone));
    expect(JSON.stringify(items)).not.toContain(phone);
    const requeued = await fetch(`${service.baseUrl}/notifications/${items[0]!.id}/requeue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(requeued.status).toBe(200);
    await expectEventually(() => expect(gateway.inbox(phone)).toHaveLength(1));
  });

  it('sends a phone at most SMS_PER_PHONE_PER_HOUR messages an hour and holds the rest', async () => {
    const phone = generatePhone();
    const cases = [submitted(phone), submitted(phone), submitted(phone), submitted(phone)];
    await publish(...cases);
    await expectEventually(async () => {
      const rows = (await service.dataSource.query(
        `SELECT status, due_at FROM notifications WHERE case_id = ANY($1)`,
        [cases.map((c) => c.caseId)],
      )) as { status: string; due_at: Date }[];
      expect(rows.filter((r) => r.status !== 'queued')).toHaveLength(3);
      const held = rows.filter((r) => r.status === 'queued');
      expect(held).toHaveLength(1);
      expect(held[0]!.due_at.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    });
    expect(gateway.inbox(phone)).toHaveLength(3);
  });

  describe('帮办代办 and 容缺后补', () => {
    /** A v2 acceptance (as intake emits it) brought by an agent whose phone is kept. */
    function submittedByAgent(phone: string, agentPhone: string): EventOf<'case.submitted'> {
      const caseId = randomUUID();
      const v1 = submitted(phone, caseId).payload;
      return createEvent({
        type: 'case.submitted',
        version: 2,
        caseId,
        producer: 'intake',
        payload: {
          ...v1,
          applicant: {
            kind: 'person',
            name: { ciphertext: cipher.encrypt('测试申请人'), masked: '测****' },
            idNumber: { ciphertext: 'v1.k1.aWQ', hash: 'id-hash', masked: '440306********002X' },
            phone: sealedPhone(phone),
            householdDistrict: '440306',
            ageBand: '18-59',
          },
          delivery: { method: 'pickup', officeId: '440306001001' },
          assistance: {
            mode: 'agent',
            agentName: { ciphertext: cipher.encrypt('李代办'), masked: '李**' },
            relation: '配偶',
            agentPhone: sealedPhone(agentPhone),
          },
        },
      });
    }

    function collected(caseId: string): EventOf<'delivery.updated'> {
      const code = windowCode(caseId, '000000', 1);
      // The hand-over issues no code: the same parcel's payload without one.
      const payload: Record<string, unknown> = {
        ...code.payload,
        state: 'collected',
        previousState: 'ready_for_pickup',
      };
      delete payload['pickupCode'];
      return parseEventOf('delivery.updated', { ...code, eventId: randomUUID(), payload });
    }

    it('texts the agent every message of the case but the applicant’s rating link', async () => {
      const phone = generatePhone();
      const agentPhone = generatePhone();
      const accepted = submittedByAgent(phone, agentPhone);
      await publish(accepted, windowCode(accepted.caseId, '735102', 1), collected(accepted.caseId));
      const agentTexts = await expectEventually(() => {
        const inbox = gateway.inbox(agentPhone).map((m) => m.text);
        expect(inbox).toHaveLength(2);
        return inbox;
      });
      expect(agentTexts[0]).toContain(`受理编号${accepted.payload.receiptNumber}`);
      expect(agentTexts[1]).toContain('请凭取件码735102领取');
      await expectEventually(() => {
        const inbox = gateway.inbox(phone).map((m) => m.text);
        expect(inbox).toHaveLength(3);
        expect(inbox[2]).toMatch(/已领取。欢迎对本次服务作出评价/);
      });
      const rows = (await service.dataSource.query(
        `SELECT kind, recipient FROM notifications WHERE case_id = $1 ORDER BY kind, recipient`,
        [accepted.caseId],
      )) as { kind: string; recipient: string }[];
      expect(rows).toEqual([
        { kind: 'accepted', recipient: 'agent' },
        { kind: 'accepted', recipient: 'applicant' },
        { kind: 'completed', recipient: 'applicant' },
        { kind: 'ready_for_pickup', recipient: 'agent' },
        { kind: 'ready_for_pickup', recipient: 'applicant' },
      ]);
      expect(gateway.inbox(agentPhone).some((m) => m.text.includes('评价'))).toBe(false);
    });

    /** A 社保卡 accepted under 容缺 without the photo, due in ten days: its reminder waits. */
    function withoutPhoto(phone: string): EventOf<'case.submitted'> {
      const caseId = randomUUID();
      const sample = sampleEvent('case.submitted');
      return sampleEvent('case.submitted', {
        caseId,
        payload: {
          receiptNumber: `440306001-20261204-${caseId.slice(0, 4)}`,
          applicant: { ...sample.payload.applicant, phone: sealedPhone(phone) },
          itemCode: 'RS-SBKSL-003',
          missingMaterials: ['photo'],
          supplementDueAt: new Date(Date.now() + 10 * 86400_000).toISOString(),
        },
      });
    }
    const rongque = (caseId: string, kind: 'handed_in' | 'expired', outstanding: string[]) =>
      sampleEvent('case.rongque', {
        caseId,
        payload: {
          kind,
          materials: kind === 'handed_in' ? ['photo'] : [],
          outstanding,
          dueAt: '2026-12-10T10:00:00.000Z',
        },
      });
    const statusOf = async (caseId: string, kind: string) =>
      (
        (await service.dataSource.query(`SELECT status FROM notifications WHERE case_id = $1 AND kind = $2`, [
          caseId,
          kind,
        ])) as { status: string }[]
      ).map((row) => row.status);

    it('sends no 容缺 reminder once the window handed the material in', async () => {
      const phone = generatePhone();
      const accepted = withoutPhoto(phone);
      await publish(accepted);
      await expectEventually(async () =>
        expect(await statusOf(accepted.caseId, 'supplement_reminder')).toEqual(['queued']),
      );
      await publish(rongque(accepted.caseId, 'handed_in', []));
      await expectEventually(async () =>
        expect(await statusOf(accepted.caseId, 'supplement_reminder')).toEqual(['cancelled']),
      );
      expect(
        gateway
          .inbox(phone)
          .map((m) => m.text)
          .join(),
      ).not.toContain('提醒');
    });

    it('texts the applicant when the 容缺 deadline passed with the material missing', async () => {
      const phone = generatePhone();
      const accepted = withoutPhoto(phone);
      await publish(accepted, rongque(accepted.caseId, 'expired', ['photo']));
      const expired = await expectEventually(() => {
        const text = gateway.inbox(phone).find((m) => m.text.includes('逾期未补交'));
        expect(text).toBeDefined();
        return text!.text;
      });
      expect(expired).toBe(
        `【通办通取】您的申请（受理编号${accepted.payload.receiptNumber}）容缺受理的材料近期免冠彩色证件照片已于2026-12-10逾期未补交，请尽快到受理窗口补交，逾期未补的将由审批部门依规处理。`,
      );
      expect(await statusOf(accepted.caseId, 'supplement_reminder')).toEqual(['cancelled']);
    });
  });

  it('refuses operators’ bad input with the field named', async () => {
    const operator = await service.tokenFor('operator');
    const response = await fetch(`${service.baseUrl}/notifications?status=lost`, {
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('status');
  });

  it('reports sent messages by kind and provider and the age of the queue', async () => {
    const metrics = await (await fetch(service.metricsUrl)).text();
    expect(metrics).toMatch(
      /tongban_notifications_sent_total\{kind="accepted",provider="tencent"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/tongban_notifications_failed_total\{[^}]*outcome="dead_letter"[^}]*\} 1/);
    expect(metrics).toMatch(/tongban_notifications_queue_oldest_seconds(\{[^}]*\})? \d/);
  });
});
