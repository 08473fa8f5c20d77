import { postgresDataSourceOptions } from '@tongban/database';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { RoutingConfig } from '../config/routing-config';

export function routingDataSourceOptions(config: RoutingConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-routing',
    entities: [...MESSAGING_ENTITIES],
    migrations: [...MESSAGING_MIGRATIONS],
  });
}
