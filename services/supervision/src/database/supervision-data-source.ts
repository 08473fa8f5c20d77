import { postgresDataSourceOptions } from '@tongban/database';
import { PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from '@tongban/runtime';
import type { DataSourceOptions } from 'typeorm';
import type { SupervisionConfig } from '../config/supervision-config';
import { CreateSupervision1765200000000 } from './migrations/1765200000000-create-supervision';
import { CreateReports1765200000001 } from './migrations/1765200000001-create-reports';
import { CreatePendingIntakeRatings1765200000002 } from './migrations/1765200000002-create-pending-intake-ratings';

export function supervisionDataSourceOptions(
  config: Pick<SupervisionConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-supervision',
    entities: [...PLATFORM_ENTITIES],
    migrations: [
      ...PLATFORM_MIGRATIONS,
      CreateSupervision1765200000000,
      CreateReports1765200000001,
      CreatePendingIntakeRatings1765200000002,
    ],
  });
}
