import { postgresDataSourceOptions } from '@tongban/database';
import { CreateProcessedEvents1764000000000, ProcessedEventEntity } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { ApprovalConfig } from '../config/approval-config';

export function approvalDataSourceOptions(config: ApprovalConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-approval',
    entities: [ProcessedEventEntity],
    migrations: [CreateProcessedEvents1764000000000],
  });
}
