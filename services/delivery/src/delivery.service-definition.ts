import type { ServiceDefinition } from '@tongban/runtime';
import { AppModule } from './app.module';
import { deliveryConfigSchema, type DeliveryConfig } from './config/delivery-config';
import { deliveryDataSourceOptions } from './database/delivery-data-source';

export const deliveryService: ServiceDefinition<DeliveryConfig> = {
  service: 'delivery',
  title: 'Tongban delivery: Result parcels, courier handoffs, proof of delivery and window pickup.',
  configSchema: deliveryConfigSchema,
  appModule: (config) => AppModule.forRoot(config),
  dataSourceOptions: deliveryDataSourceOptions,
};
