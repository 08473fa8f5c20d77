import type { ServiceDefinition } from '@tongban/runtime';
import { AppModule } from './app.module';
import { intakeConfigSchema, type IntakeConfig } from './config/intake-config';
import { intakeDataSourceOptions } from './database/intake-data-source';

export const intakeService: ServiceDefinition<IntakeConfig> = {
  service: 'intake',
  title:
    'Tongban intake: Intake API for street and community offices: cases as submitted, timelines, ratings.',
  configSchema: intakeConfigSchema,
  appModule: (config) => AppModule.forRoot(config),
  dataSourceOptions: intakeDataSourceOptions,
};
