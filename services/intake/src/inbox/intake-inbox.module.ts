import { Module } from '@nestjs/common';
import { IntakeInboxController } from './intake-inbox.controller';

@Module({
  controllers: [IntakeInboxController],
})
export class IntakeInboxModule {}
