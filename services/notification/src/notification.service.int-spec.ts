import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/service-testing';
import { notificationService } from './notification.service-definition';
import { UNREACHABLE_SMS_ENV } from './testing/test-sms-env';

describeServiceBoot(notificationService, TOPICS.caseSubmitted, UNREACHABLE_SMS_ENV);
