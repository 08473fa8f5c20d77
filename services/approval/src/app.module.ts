import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RuntimeModule } from '@tongban/runtime';
import type { ApprovalConfig } from './config/approval-config';
import { approvalDataSourceOptions } from './database/approval-data-source';
import { InboxModule } from './inbox/inbox.module';
import { SlaModule } from './sla/sla.module';
import { WorkItemsModule } from './work/work-items.module';

@Module({})
export class AppModule {
  static forRoot(config: ApprovalConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot('approval', config),
        TypeOrmModule.forRoot(approvalDataSourceOptions(config)),
        InboxModule,
        WorkItemsModule.forRoot(config),
        SlaModule,
      ],
    };
  }
}
