import { Module } from '@nestjs/common';
import { RoutingInboxController } from './routing-inbox.controller';

@Module({
  controllers: [RoutingInboxController],
})
export class RoutingInboxModule {}
