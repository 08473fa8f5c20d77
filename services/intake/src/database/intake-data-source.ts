import { postgresDataSourceOptions } from '@tongban/database';
import { CreateProcessedEvents1764000000000, ProcessedEventEntity } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { IntakeConfig } from '../config/intake-config';

export function intakeDataSourceOptions(config: IntakeConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-intake',
    entities: [ProcessedEventEntity],
    migrations: [CreateProcessedEvents1764000000000],
  });
}
