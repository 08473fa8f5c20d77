import { Module } from '@nestjs/common';
import { InboxRecorder } from '@tongban/messaging';
import { DeliveryInboxController } from './delivery-inbox.controller';

@Module({
  controllers: [DeliveryInboxController],
  providers: [InboxRecorder],
})
export class DeliveryInboxModule {}
