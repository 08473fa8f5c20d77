import './tracing';
import 'reflect-metadata';
import { runService } from '@tongban/runtime';
import { approvalService } from './approval.service-definition';

void runService(approvalService);
