import { postgresDataSourceOptions } from '@tongban/database';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { ApprovalConfig } from '../config/approval-config';

export function approvalDataSourceOptions(config: ApprovalConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-approval',
    entities: [...MESSAGING_ENTITIES],
    migrations: [...MESSAGING_MIGRATIONS],
  });
}
