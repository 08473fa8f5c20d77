import { randomUUID } from 'node:crypto';
import { generatePhone, generateResidentId } from '@tongban/pii';
import { DEAD_LETTER_ROUTES, describeHostileInput } from '@tongban/service-testing';
import { intakeService } from './intake.service-definition';

const caseId = randomUUID();
const receipt = '440306001-20261124-0007';
const material = {
  code: 'id_card',
  name: '居民身份证',
  fileRef: 'doc://materials/1',
  sha256: 'a'.repeat(64),
};

describeHostileInput(intakeService, [
  {
    method: 'POST',
    path: '/cases',
    user: 'staff-xinan',
    body: {
      itemCode: 'RS-SYBXJ-001',
      applicant: {
        kind: 'person',
        name: '测试申请人',
        idNumber: generateResidentId({ regionCode: '440303' }),
        phone: generatePhone(),
        householdDistrict: '440303',
      },
      materials: [material],
      delivery: {
        method: 'door',
        address: { districtCode: '440306', street: '新安街道', detail: '一路1号' },
      },
      assistance: {
        mode: 'agent',
        agentName: '代办人',
        relation: '亲属',
        agentIdNumber: generateResidentId({ regionCode: '440306' }),
        agentPhone: generatePhone(),
      },
    },
  },
  {
    method: 'GET',
    path: '/cases',
    user: 'operator',
    query: {
      officeId: '440306001',
      status: 'submitted',
      itemCode: 'RS-SYBXJ-001',
      from: '2026-01-01T00:00:00Z',
      to: '2026-12-31T00:00:00+08:00',
      overdue: 'false',
      limit: '20',
    },
    instants: ['from', 'to'],
    cursor: 'cursor',
  },
  { method: 'GET', path: '/cases/:id', user: 'operator', params: { id: caseId } },
  { method: 'GET', path: '/cases/:id/timeline', user: 'operator', params: { id: caseId } },
  {
    method: 'POST',
    path: '/cases/:id/supplements',
    user: 'staff-xinan',
    params: { id: caseId },
    body: { materials: [material] },
  },
  { method: 'POST', path: '/cases/track', body: { receipt, phoneLast4: '1234' } },
  {
    method: 'POST',
    path: '/cases/rating',
    body: { receipt, phoneLast4: '1234', score: 4, comment: '办理很快', tags: ['fast'], channel: 'app' },
  },
  { method: 'GET', path: '/r/:token', params: { token: 'AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' } },
  {
    method: 'POST',
    path: '/r/:token',
    params: { token: 'AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' },
    body: { score: 4, comment: '办理很快', tags: ['fast'] },
  },
  ...DEAD_LETTER_ROUTES,
]);
