import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuntimeModule } from '@tongban/runtime';
import type { NotificationConfig } from './config/notification-config';
import { notificationDataSourceOptions } from './database/notification-data-source';
import { NoticesModule } from './notices/notices.module';

@Module({})
export class AppModule {
  static forRoot(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot('notification', config),
        TypeOrmModule.forRoot(notificationDataSourceOptions(config)),
        NoticesModule.forRoot(config),
      ],
    };
  }
}
