import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type EventOf, parseEventOf } from '@tongban/contracts';
import { loadReferenceData } from '@tongban/reference-data';
import { sampleEvent } from '@tongban/testing';
import { randomBytes } from 'node:crypto';
import { openingHours, referenceNoticeFacts } from './notice-facts';
import {
  planDecided,
  planDeliveryUpdated,
  planRongque,
  planSubmitted,
  planSupplementRequested,
} from './notice-plan';

const reference = loadReferenceData();
const facts = referenceNoticeFacts(reference, {
  applicantBaseUrl: new URL('https://tongban.example.gov.cn/'),
  linkKey: randomBytes(32),
  reminderLeadMs: 48 * 3_600_000,
});

function deliveryV2(overrides: Record<string, unknown> = {}): EventOf<'delivery.updated'> {
  const fixture = JSON.parse(
    readFileSync(
      path.resolve(__dirname, '../../../../libs/contracts/fixtures/v2/delivery.updated.json'),
      'utf8',
    ),
  ) as { payload: Record<string, unknown> };
  return parseEventOf('delivery.updated', { ...fixture, payload: { ...fixture.payload, ...overrides } });
}

describe('what an applicant is told, per event', () => {
  it('acknowledges a case with the item, receipt, promised date and where to track it', () => {
    const event = sampleEvent('case.submitted', { occurredAt: '2026-12-01T02:00:00.000Z' });
    const plan = planSubmitted(event, facts);
    expect(plan.contact).toMatchObject({
      receiptNumber: event.payload.receiptNumber,
      phone: event.payload.applicant.phone,
    });
    expect(plan.notices).toEqual([
      {
        kind: 'accepted',
        round: 1,
        values: {
          itemName: '失业保险金申领',
          receiptNumber: event.payload.receiptNumber,
          // 5 working days after Tuesday 2026-12-01
          promisedDate: '2026-12-08',
          trackingUrl: 'https://tongban.example.gov.cn/applicant',
        },
      },
    ]);
  });

  it('schedules a 容缺 reminder 48 hours before the deadline, naming the missing materials', () => {
    const item = reference.item('RS-SYBXJ-001')!;
    const code = item.materials[0]!.code;
    const event = sampleEvent('case.submitted', {
      occurredAt: '2026-12-01T02:00:00.000Z',
      payload: { missingMaterials: [code], supplementDueAt: '2026-12-11T10:00:00.000Z' },
    });
    const reminder = planSubmitted(event, facts).notices.find((n) => n.kind === 'supplement_reminder');
    expect(reminder).toEqual({
      kind: 'supplement_reminder',
      round: 1,
      dueAt: new Date('2026-12-09T10:00:00.000Z'),
      values: {
        receiptNumber: event.payload.receiptNumber,
        materials: item.materials[0]!.name,
        dueDate: '2026-12-11',
      },
    });
  });

  it('lists every material of a supplement round with its reason, once per round', () => {
    const event = sampleEvent('case.supplement-requested', {
      payload: {
        round: 2,
        dueAt: '2026-12-10T09:00:00.000Z',
        items: [
          { materialCode: 'a', materialName: '户口簿', reason: '页面不清晰' },
          { materialCode: 'b', materialName: '离职证明', reason: '缺少单位盖章' },
        ],
      },
    });
    expect(planSupplementRequested(event, facts).notices).toEqual([
      {
        kind: 'supplement_requested',
        round: 2,
        values: { materials: '户口簿（页面不清晰）；离职证明（缺少单位盖章）', dueDate: '2026-12-10' },
      },
    ]);
  });

  it('tells a rejection with its reason and cancels a pending reminder', () => {
    const event = sampleEvent('case.decided', {
      payload: {
        outcome: 'rejected',
        resultDocument: undefined,
        rejection: { reasonCode: 'x', text: '不符合申领条件' },
      },
    });
    const plan = planDecided(event, facts);
    expect(plan.notices).toEqual([
      {
        kind: 'rejected',
        round: 1,
        values: {
          itemName: expect.any(String),
          receiptNumber: event.payload.case.receiptNumber,
          reason: '不符合申领条件',
        },
      },
    ]);
    expect(plan.cancel).toEqual(['supplement_reminder']);
  });

  it('keeps the 容缺 reminder after an approval: the materials are still due', () => {
    const approved = sampleEvent('case.decided');
    expect(approved.payload.outcome).toBe('approved');
    expect(planDecided(approved, facts).cancel).toBeUndefined();
  });

  describe('容缺后补 as intake reports it (case.rongque)', () => {
    const rongque = (kind: 'handed_in' | 'reminder' | 'expired', outstanding: string[]) =>
      sampleEvent('case.rongque', {
        payload: { kind, outstanding, materials: [], dueAt: '2026-12-10T10:00:00.000Z' },
      });

    it('cancels the reminder once nothing is outstanding', () => {
      expect(planRongque(rongque('handed_in', []), facts, 'RS-SBKSL-003')).toEqual({
        notices: [],
        cancel: ['supplement_reminder'],
      });
    });

    it('narrows a queued reminder to what is still missing after a partial hand-in', () => {
      expect(planRongque(rongque('handed_in', ['photo']), facts, 'RS-SBKSL-003').notices).toEqual([
        {
          kind: 'supplement_reminder',
          round: 1,
          replaceQueued: true,
          values: { materials: '近期免冠彩色证件照片', dueDate: '2026-12-10' },
        },
      ]);
    });

    it('queues the reminder once (the round of the one planned at acceptance)', () => {
      expect(planRongque(rongque('reminder', ['photo']), facts, 'RS-SBKSL-003').notices).toEqual([
        {
          kind: 'supplement_reminder',
          round: 1,
          replaceQueued: false,
          values: { materials: '近期免冠彩色证件照片', dueDate: '2026-12-10' },
        },
      ]);
    });

    it('tells the expiry naming the overdue materials (their codes while the case is unknown) and drops the reminder', () => {
      expect(planRongque(rongque('expired', ['photo']), facts, 'RS-SBKSL-003')).toEqual({
        notices: [
          {
            kind: 'rongque_expired',
            round: 1,
            values: { materials: '近期免冠彩色证件照片', dueDate: '2026-12-10' },
          },
        ],
        cancel: ['supplement_reminder'],
      });
      expect(planRongque(rongque('expired', ['photo']), facts, undefined).notices[0]?.values).toMatchObject({
        materials: 'photo',
      });
    });
  });

  it('sends the window pickup code with the office name, address and hours, the code still sealed', () => {
    const plan = planDeliveryUpdated(deliveryV2(), facts);
    const office = reference.office('440306001001')!;
    expect(plan.notices).toEqual([
      {
        kind: 'ready_for_pickup',
        round: 1,
        values: {
          trackingNumber: 'TB440306000001',
          officeName: office.name,
          officeAddress: office.address,
          openingHours: '工作日09:00-18:00，周六09:00-17:00',
          code: 'v1.k1.c3ludGhldGljLWNvZGU',
          expiryDate: '2026-12-08',
        },
      },
    ]);
  });

  it('makes a reissued door code a new round without telling the state again', () => {
    const event = deliveryV2({
      method: 'courier',
      state: 'out_for_delivery',
      previousState: 'out_for_delivery',
      pickupCode: {
        code: { ciphertext: 'v1.k1.eA', masked: '******' },
        expiresAt: '2026-12-08T02:00:00.000Z',
        issue: 2,
      },
    });
    expect(planDeliveryUpdated(event, facts).notices.map((n) => [n.kind, n.round])).toEqual([
      ['door_code', 2],
    ]);
  });

  it('tells a failed attempt with its reason and the next step, once per attempt', () => {
    const event = sampleEvent('delivery.updated');
    const [notice] = planDeliveryUpdated(event, facts).notices;
    expect(notice).toMatchObject({
      kind: 'delivery_failed',
      round: 1,
      values: { attempt: '1', reason: '无人签收' },
    });
    expect(notice!.values['nextStep']).toContain('2026-11-26');
  });

  it('asks for a rating with a signed link once the parcel is collected', () => {
    const event = deliveryV2({
      state: 'collected',
      previousState: 'ready_for_pickup',
      pickupCode: undefined,
    });
    const [notice] = planDeliveryUpdated(event, facts).notices;
    expect(notice).toMatchObject({ kind: 'completed', round: 1, values: { how: '领取' } });
    expect(notice!.values['ratingLink']).toMatch(
      /^https:\/\/tongban\.example\.gov\.cn\/r\/[\w-]{22}\.[\w-]{22}$/,
    );
  });

  it('knows Huizhou’s split office hours and offices closed on Saturdays', () => {
    expect(openingHours(reference, { district: '441302', saturdayService: true })).toBe(
      '工作日08:30-12:00、14:00-17:30，周六09:00-12:00',
    );
    expect(openingHours(reference, { district: '440306', saturdayService: false })).toBe('工作日09:00-18:00');
  });
});
