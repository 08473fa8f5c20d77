import { Module } from '@nestjs/common';
import { InboxRecorder } from '@tongban/messaging';
import { RoutingInboxController } from './routing-inbox.controller';

@Module({
  controllers: [RoutingInboxController],
  providers: [InboxRecorder],
})
export class RoutingInboxModule {}
