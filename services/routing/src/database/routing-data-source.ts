import { postgresDataSourceOptions } from '@tongban/database';
import { CreateProcessedEvents1764000000000, ProcessedEventEntity } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { RoutingConfig } from '../config/routing-config';

export function routingDataSourceOptions(config: RoutingConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-routing',
    entities: [ProcessedEventEntity],
    migrations: [CreateProcessedEvents1764000000000],
  });
}
