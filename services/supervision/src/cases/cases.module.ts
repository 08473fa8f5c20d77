import { Module } from '@nestjs/common';
import { CaseEventsConsumer } from './case-events.consumer';
import { CaseFactStore } from './case-fact-store';

@Module({ controllers: [CaseEventsConsumer], providers: [CaseFactStore], exports: [CaseFactStore] })
export class CasesModule {}
