import { postgresDataSourceOptions } from '@tongban/database';
import { CreateProcessedEvents1764000000000, ProcessedEventEntity } from '@tongban/messaging';
import type { DataSourceOptions } from 'typeorm';
import type { DeliveryConfig } from '../config/delivery-config';

export function deliveryDataSourceOptions(config: DeliveryConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-delivery',
    entities: [ProcessedEventEntity],
    migrations: [CreateProcessedEvents1764000000000],
  });
}
