import { Module } from '@nestjs/common';
import { InboxRecorder } from '@tongban/messaging';
import { ApprovalInboxController } from './approval-inbox.controller';

@Module({
  controllers: [ApprovalInboxController],
  providers: [InboxRecorder],
})
export class ApprovalInboxModule {}
