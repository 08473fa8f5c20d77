import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/service-testing';
import { intakeService } from './intake.service-definition';

describeServiceBoot(intakeService, TOPICS.caseRouted);
