import { postgresDataSourceOptions } from '@tongban/database';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { DeliveryConfig } from '../config/delivery-config';

export function deliveryDataSourceOptions(config: DeliveryConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-delivery',
    entities: [...MESSAGING_ENTITIES],
    migrations: [...MESSAGING_MIGRATIONS],
  });
}
