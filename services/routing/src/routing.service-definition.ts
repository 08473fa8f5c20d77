import type { ServiceDefinition } from '@tongban/runtime';
import { AppModule } from './app.module';
import { routingConfigSchema, type RoutingConfig } from './config/routing-config';
import { routingDataSourceOptions } from './database/routing-data-source';

export const routingService: ServiceDefinition<RoutingConfig> = {
  service: 'routing',
  title: 'Tongban routing: Routes each submitted case to its competent department, in any district.',
  configSchema: routingConfigSchema,
  appModule: (config) => AppModule.forRoot(config),
  dataSourceOptions: routingDataSourceOptions,
};
