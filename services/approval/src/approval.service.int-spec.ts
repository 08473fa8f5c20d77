import { TOPICS } from '@tongban/contracts';
import { describeServiceBoot } from '@tongban/testing';
import { approvalService } from './approval.service-definition';

describeServiceBoot(approvalService, TOPICS.caseRouted);
