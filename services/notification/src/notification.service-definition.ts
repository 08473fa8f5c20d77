import type { ServiceDefinition } from '@tongban/runtime';
import { AppModule } from './app.module';
import { notificationConfigSchema, type NotificationConfig } from './config/notification-config';
import { notificationDataSourceOptions } from './database/notification-data-source';

export const notificationService: ServiceDefinition<NotificationConfig> = {
  service: 'notification',
  title: 'Tongban notification: text messages to applicants, their store, sender and delivery reports.',
  configSchema: notificationConfigSchema,
  appModule: (config) => AppModule.forRoot(config),
  dataSourceOptions: notificationDataSourceOptions,
};
