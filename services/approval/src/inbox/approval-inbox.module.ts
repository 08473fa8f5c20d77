import { Module } from '@nestjs/common';
import { ApprovalInboxController } from './approval-inbox.controller';

@Module({
  controllers: [ApprovalInboxController],
})
export class ApprovalInboxModule {}
