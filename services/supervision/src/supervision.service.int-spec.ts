import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/service-testing';
import { supervisionService } from './supervision.service-definition';

describeServiceBoot(supervisionService, TOPICS.caseSubmitted);
