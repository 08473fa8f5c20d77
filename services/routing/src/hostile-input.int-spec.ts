import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_ROUTES, describeHostileInput } from '@tongban/service-testing';
import { routingService } from './routing.service-definition';

const caseId = randomUUID();

describeHostileInput(routingService, [
  {
    method: 'POST',
    path: '/routing/dry-run',
    user: 'staff-xinan',
    body: {
      itemCode: 'RS-SYBXJ-001',
      officeId: '440306001',
      applicant: { kind: 'person', householdDistrict: '440303' },
      acceptedAt: '2026-11-24T10:00:00+08:00',
      rulesAt: '2026-11-24T10:00:00+08:00',
    },
    instants: ['acceptedAt', 'rulesAt'],
  },
  { method: 'GET', path: '/routing/cases/:caseId', user: 'operator', params: { caseId } },
  {
    method: 'POST',
    path: '/routing/cases/:caseId/reroute',
    user: 'admin',
    params: { caseId },
    body: {
      supersedesRoutingId: randomUUID(),
      departmentId: '440303-rsj',
      parallelDepartmentIds: ['440303-ybj'],
      reason: '受理地错误',
    },
  },
  { method: 'GET', path: '/triage', user: 'operator', query: { limit: '10' } },
  {
    method: 'POST',
    path: '/triage/:caseId/assign',
    user: 'admin',
    params: { caseId },
    body: { departmentId: '440303-rsj', parallelDepartmentIds: [], timeLimitDays: 5, reason: '人工分派' },
  },
  {
    method: 'GET',
    path: '/rules',
    user: 'operator',
    query: { itemCode: 'RS-SYBXJ-001', at: '2026-11-24T10:00:00Z' },
    instants: ['at'],
  },
  { method: 'GET', path: '/rules/:ruleId', user: 'operator', params: { ruleId: 'RS-SYBXJ-001@440306' } },
  {
    method: 'POST',
    path: '/rules/versions',
    user: 'admin',
    body: {
      itemCode: 'RS-SYBXJ-001',
      region: '440306',
      effectiveFrom: '2027-01-01T00:00:00+08:00',
      effectiveTo: '2028-01-01T00:00:00+08:00',
      basis: 'household_district',
      departmentType: 'rsj',
      parallelDepartmentTypes: ['ybj'],
      note: '试点调整',
    },
    instants: ['effectiveFrom', 'effectiveTo'],
  },
  ...DEAD_LETTER_ROUTES,
]);
