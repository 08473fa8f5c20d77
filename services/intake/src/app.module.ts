import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuntimeModule } from '@tongban/runtime';
import type { IntakeConfig } from './config/intake-config';
import { intakeDataSourceOptions } from './database/intake-data-source';
import { CasesModule } from './cases/cases.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { TimelineModule } from './timeline/timeline.module';

@Module({})
export class AppModule {
  static forRoot(config: IntakeConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot('intake', config),
        TypeOrmModule.forRoot(intakeDataSourceOptions(config)),
        CasesModule.forRoot(config),
        CatalogueModule,
        TimelineModule,
      ],
    };
  }
}
