import { generatePhone, generateResidentId } from '@tongban/pii';
import { randomUUID } from 'node:crypto';
import { personalDataInDetail } from './audit-trail.service';

// Ids that once made an audited action fail for good: the last group holds the valid mobile
// number 16716078582, and the middle groups 192-4669-8854 one written in groups.
const UUIDS = ['d2713ebb-306e-482d-96ef-b16716078582', '3439f4d6-a192-4669-8854-3247f1264632'];

// The detail every audited action of the four services writes, with every id slot filled by
// the colliding UUIDs and the other identifiers at their longest.
const AUDITED_ACTIONS = (uuid: string): [string, Record<string, unknown>][] => [
  [
    'case.submit',
    { itemCode: 'RS-SBKSL-003', receiptNumber: '440306001-20261204-138123', missingMaterials: [] },
  ],
  ['case.supplement', { requestId: uuid, round: 2, materials: ['ID_CARD', 'HOUSEHOLD_REGISTER'] }],
  [
    'routing.reroute',
    { routingId: uuid, supersedesRoutingId: uuid, departments: ['440306-rsj'], reason: 'wrong district' },
  ],
  [
    'routing.assign-from-triage',
    { routingId: uuid, supersedesRoutingId: null, departments: [], reason: 'triage' },
  ],
  [
    'routing-rule.add-version',
    { effectiveFrom: '2026-12-04T00:00:00.000Z', effectiveTo: null, closesVersion: 3, note: 'new office' },
  ],
  ['parcel.pick-up', { officeId: '440306001', parcelIds: [uuid, uuid, randomUUID()] }],
  ['parcel.reissue-code', {}],
  ['parcel.switch-to-pickup', { from: 'out_for_delivery', to: 'awaiting_pickup', officeId: '440306001' }],
  ['parcel.hand-over', { from: 'awaiting_pickup', to: 'collected', proof: 'pickup_code' }],
  ['parcel.deliver', { proof: 'id_last4', check: 'wrong', failures: 4 }],
  ['work-item.claim', { caseId: uuid, departmentId: '440306-rsj' }],
  ['work-item.release', { caseId: uuid, departmentId: '440306-rsj', releasedClaimOf: 'reviewer-rsj' }],
  [
    'work-item.request-supplements',
    { caseId: uuid, departmentId: '440306-rsj', requestId: uuid, round: 1, materials: ['PHOTO'] },
  ],
  [
    'work-item.approve',
    { caseId: uuid, departmentId: '440306-rsj', documentNumber: '深宝人社〔2026〕00123号' },
  ],
  ['work-item.reject', { caseId: uuid, departmentId: '440306-rsj', reasonCode: 'MATERIALS_INVALID' }],
  ['dlq.replay', { replayed: 12 }],
];

describe('personalDataInDetail', () => {
  it.each(UUIDS.flatMap((uuid) => AUDITED_ACTIONS(uuid).map(([action, detail]) => [action, uuid, detail])))(
    'accepts %s with id %s',
    (_action, _uuid, detail) => {
      expect(personalDataInDetail(detail as Record<string, unknown>)).toBeNull();
    },
  );

  it('accepts 200,000 random UUIDs as ids', () => {
    const refused: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const uuid = randomUUID();
      if (personalDataInDetail({ parcelIds: [uuid] })) refused.push(uuid);
    }
    expect(refused).toEqual([]);
  });

  it.each([
    [
      'an ID number in a reason',
      { reason: `申请人${generateResidentId()}来电` },
      'detail.reason (resident-id)',
    ],
    [
      'a phone number deep down',
      { contact: { list: [`tel ${generatePhone()}`] } },
      'detail.contact.list.0 (phone)',
    ],
    ['a phone number as a number', { mobile: Number(generatePhone()) }, 'detail.mobile (phone)'],
    ['a grouped phone in a note', { note: '请联系 138 1234 5678' }, 'detail.note (phone)'],
  ])('names %s', (_name, detail, path) => {
    expect(personalDataInDetail(detail)).toBe(path);
  });
});
