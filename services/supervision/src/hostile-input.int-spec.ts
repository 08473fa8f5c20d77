import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_ROUTES, describeHostileInput } from '@tongban/service-testing';
import { supervisionService } from './supervision.service-definition';

const id = randomUUID();

describeHostileInput(supervisionService, [
  {
    method: 'POST',
    path: '/ratings',
    body: {
      receipt: '440306001-20261124-0001',
      phoneLast4: '0000',
      stage: 'acceptance',
      level: 'satisfied',
      comment: '很好',
      channel: 'app',
    },
  },
  {
    method: 'POST',
    path: '/ratings/window',
    user: 'staff-xinan',
    body: { caseId: id, stage: 'acceptance', level: 'satisfied', comment: '很好' },
  },
  { method: 'GET', path: '/ratings', user: 'operator', query: { caseId: id } },
  {
    method: 'GET',
    path: '/rectifications',
    user: 'operator',
    query: { state: 'open', overdue: 'true', caseId: id, limit: '10' },
  },
  { method: 'GET', path: '/rectifications/:id', user: 'operator', params: { id } },
  {
    method: 'POST',
    path: '/rectifications/:id/return-visit',
    user: 'staff-xinan',
    params: { id },
    body: { note: '回访' },
  },
  {
    method: 'POST',
    path: '/rectifications/:id/verification',
    user: 'staff-xinan',
    params: { id },
    body: { verdict: 'confirmed', note: '属实' },
  },
  {
    method: 'POST',
    path: '/rectifications/:id/rectification',
    user: 'staff-xinan',
    params: { id },
    body: { note: '已整改' },
  },
  {
    method: 'POST',
    path: '/rectifications/:id/appeal',
    user: 'staff-xinan',
    params: { id },
    body: { reason: '误评' },
  },
  {
    method: 'POST',
    path: '/rectifications/:id/appeal-decision',
    user: 'operator',
    params: { id },
    body: { decision: 'upheld', note: '复核' },
  },
  {
    method: 'GET',
    path: '/figures',
    user: 'operator',
    query: { dimension: 'office', from: '2026-11-01', to: '2026-11-30' },
    dates: ['from', 'to'],
  },
  { method: 'GET', path: '/figures/ranking', user: 'operator', query: { month: '2026-11' } },
  {
    method: 'POST',
    path: '/reports',
    user: 'operator',
    body: { kind: 'monthly', from: '2026-11-01' },
    dates: ['from'],
  },
  { method: 'GET', path: '/reports', user: 'operator', query: { kind: 'daily', limit: '5' } },
  { method: 'GET', path: '/reports/:id/xlsx', user: 'operator', params: { id } },
  { method: 'GET', path: '/reports/:id/printable', user: 'operator', params: { id } },
  ...DEAD_LETTER_ROUTES,
]);
