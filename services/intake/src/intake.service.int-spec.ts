import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/testing';
import { intakeService } from './intake.service-definition';

describeServiceBoot(intakeService, TOPICS.caseRouted);
