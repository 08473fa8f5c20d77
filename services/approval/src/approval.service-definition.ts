import type { ServiceDefinition } from '@tongban/runtime';
import { AppModule } from './app.module';
import { approvalConfigSchema, type ApprovalConfig } from './config/approval-config';
import { approvalDataSourceOptions } from './database/approval-data-source';

export const approvalService: ServiceDefinition<ApprovalConfig> = {
  service: 'approval',
  title:
    'Tongban approval: Department work queues, decisions, SLA clock, auto-approval and parallel approval.',
  configSchema: approvalConfigSchema,
  appModule: (config) => AppModule.forRoot(config),
  dataSourceOptions: approvalDataSourceOptions,
};
