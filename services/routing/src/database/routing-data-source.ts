import { postgresDataSourceOptions } from '@tongban/database';
import { PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from '@tongban/runtime';
import type { DataSourceOptions } from 'typeorm';
import type { RoutingConfig } from '../config/routing-config';
import { CreateRouting1764500000000 } from './migrations/1764500000000-create-routing';

export function routingDataSourceOptions(
  config: Pick<RoutingConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-routing',
    entities: [...PLATFORM_ENTITIES],
    migrations: [...PLATFORM_MIGRATIONS, CreateRouting1764500000000],
  });
}
