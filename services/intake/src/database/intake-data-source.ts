import { postgresDataSourceOptions } from '@tongban/database';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { IntakeConfig } from '../config/intake-config';

export function intakeDataSourceOptions(config: IntakeConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-intake',
    entities: [...MESSAGING_ENTITIES],
    migrations: [...MESSAGING_MIGRATIONS],
  });
}
