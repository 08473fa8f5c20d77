import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/service-testing';
import { approvalService } from './approval.service-definition';

describeServiceBoot(approvalService, TOPICS.caseRouted);
