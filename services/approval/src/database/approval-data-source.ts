import { postgresDataSourceOptions } from '@tongban/database';
import { PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from '@tongban/runtime';
import type { DataSourceOptions } from 'typeorm';
import type { ApprovalConfig } from '../config/approval-config';
import { CreateApproval1764600000000 } from './migrations/1764600000000-create-approval';

export function approvalDataSourceOptions(
  config: Pick<ApprovalConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-approval',
    entities: [...PLATFORM_ENTITIES],
    migrations: [...PLATFORM_MIGRATIONS, CreateApproval1764600000000],
  });
}
