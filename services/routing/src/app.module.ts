import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuntimeModule } from '@tongban/runtime';
import type { RoutingConfig } from './config/routing-config';
import { routingDataSourceOptions } from './database/routing-data-source';
import { RoutingModule } from './routing/routing.module';

@Module({})
export class AppModule {
  static forRoot(config: RoutingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot('routing', config),
        TypeOrmModule.forRoot(routingDataSourceOptions(config)),
        RoutingModule,
      ],
    };
  }
}
