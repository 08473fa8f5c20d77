import 'reflect-metadata';
import { runMigrationCli } from '@tongban/runtime';
import { approvalService } from '../approval.service-definition';

void runMigrationCli(approvalService);
