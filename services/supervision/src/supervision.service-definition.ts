import type { ServiceDefinition } from '@tongban/runtime';
import { AppModule } from './app.module';
import { supervisionConfigSchema, type SupervisionConfig } from './config/supervision-config';
import { supervisionDataSourceOptions } from './database/supervision-data-source';

export const supervisionService: ServiceDefinition<SupervisionConfig> = {
  service: 'supervision',
  title:
    'Tongban supervision: 好差评 ratings per stage, rectification of 差评, service-quality figures and rankings.',
  configSchema: supervisionConfigSchema,
  appModule: (config) => AppModule.forRoot(config),
  dataSourceOptions: supervisionDataSourceOptions,
};
