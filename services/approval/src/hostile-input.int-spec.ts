import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_ROUTES, describeHostileInput } from '@tongban/service-testing';
import { approvalService } from './approval.service-definition';

const id = randomUUID();
const REVIEWER = 'reviewer-rsj';

describeHostileInput(approvalService, [
  {
    method: 'GET',
    path: '/work-items',
    user: REVIEWER,
    query: {
      state: 'open',
      itemCode: 'RS-SYBXJ-001',
      dueSoon: 'false',
      overdue: 'false',
      escalated: 'false',
      mine: 'false',
      limit: '20',
    },
    cursor: 'cursor',
  },
  { method: 'GET', path: '/work-items/:id', user: REVIEWER, params: { id } },
  { method: 'POST', path: '/work-items/:id/claim', user: REVIEWER, params: { id } },
  { method: 'POST', path: '/work-items/:id/release', user: REVIEWER, params: { id } },
  {
    method: 'POST',
    path: '/work-items/:id/approve',
    user: REVIEWER,
    params: { id },
    body: { validUntil: '2030-12-31', remarks: '材料齐全', paperNoticeRequested: false },
    dates: ['validUntil'],
  },
  {
    method: 'POST',
    path: '/work-items/:id/reject',
    user: REVIEWER,
    params: { id },
    body: { reasonCode: 'not_eligible', text: '不符合申领条件' },
  },
  {
    method: 'POST',
    path: '/work-items/:id/supplement-requests',
    user: REVIEWER,
    params: { id },
    body: { items: [{ materialCode: 'bank_card', materialName: '银行卡复印件', reason: '缺少' }] },
  },
  ...DEAD_LETTER_ROUTES,
]);
