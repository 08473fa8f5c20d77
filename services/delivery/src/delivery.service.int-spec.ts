import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/service-testing';
import { deliveryService } from './delivery.service-definition';

describeServiceBoot(deliveryService, TOPICS.caseDecided);
