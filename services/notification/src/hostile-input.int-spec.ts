import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_ROUTES, describeHostileInput } from '@tongban/service-testing';
import { notificationService } from './notification.service-definition';
import { UNREACHABLE_SMS_ENV } from './testing/test-sms-env';

describeHostileInput(
  notificationService,
  [
    {
      method: 'GET',
      path: '/notifications',
      user: 'operator',
      query: { caseId: randomUUID(), status: 'failed', limit: '10' },
    },
    { method: 'POST', path: '/notifications/:id/requeue', user: 'operator', params: { id: randomUUID() } },
    ...DEAD_LETTER_ROUTES,
  ],
  UNREACHABLE_SMS_ENV,
);
