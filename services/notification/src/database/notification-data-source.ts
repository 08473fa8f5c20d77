import { postgresDataSourceOptions } from '@tongban/database';
import { PLATFORM_ENTITIES, PLATFORM_MIGRATIONS } from '@tongban/runtime';
import type { DataSourceOptions } from 'typeorm';
import type { NotificationConfig } from '../config/notification-config';
import { CreateNotifications1765000000000 } from './migrations/1765000000000-create-notifications';
import { AgentContactsAndRongqueExpiry1765000000001 } from './migrations/1765000000001-agent-contacts-and-rongque-expiry';

export function notificationDataSourceOptions(config: NotificationConfig): DataSourceOptions {
  return postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'tongban-notification',
    entities: [...PLATFORM_ENTITIES],
    migrations: [
      ...PLATFORM_MIGRATIONS,
      CreateNotifications1765000000000,
      AgentContactsAndRongqueExpiry1765000000001,
    ],
  });
}
