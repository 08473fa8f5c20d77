import { Module } from '@nestjs/common';
import { DeliveryInboxController } from './delivery-inbox.controller';

@Module({
  controllers: [DeliveryInboxController],
})
export class DeliveryInboxModule {}
