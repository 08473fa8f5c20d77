import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuntimeModule } from '@tongban/runtime';
import type { DeliveryConfig } from './config/delivery-config';
import { deliveryDataSourceOptions } from './database/delivery-data-source';
import { ParcelsModule } from './parcels/parcels.module';

@Module({})
export class AppModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot('delivery', config),
        TypeOrmModule.forRoot(deliveryDataSourceOptions(config)),
        ParcelsModule.forRoot(config),
      ],
    };
  }
}
