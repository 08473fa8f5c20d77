import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/service-testing';
import { routingService } from './routing.service-definition';

describeServiceBoot(routingService, TOPICS.caseSubmitted);
