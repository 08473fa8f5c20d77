import { Module } from '@nestjs/common';
import { CaseFactStore } from './case-fact-store';

/** The case_facts projection's store; its consumer is registered by the ratings module. */
@Module({ providers: [CaseFactStore], exports: [CaseFactStore] })
export class CasesModule {}
