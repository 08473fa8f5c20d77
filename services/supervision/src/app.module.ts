import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuntimeModule } from '@tongban/runtime';
import type { SupervisionConfig } from './config/supervision-config';
import { supervisionDataSourceOptions } from './database/supervision-data-source';
import { FiguresModule } from './figures/figures.module';
import { RatingsModule } from './ratings/ratings.module';
import { ReportsModule } from './reports/reports.module';

@Module({})
export class AppModule {
  static forRoot(config: SupervisionConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot('supervision', config),
        TypeOrmModule.forRoot(supervisionDataSourceOptions(config)),
        RatingsModule.forRoot(config),
        FiguresModule,
        ReportsModule.forRoot(config),
      ],
    };
  }
}
