import { Module } from '@nestjs/common';
import { InboxRecorder } from '@tongban/messaging';
import { IntakeInboxController } from './intake-inbox.controller';

@Module({
  controllers: [IntakeInboxController],
  providers: [InboxRecorder],
})
export class IntakeInboxModule {}
