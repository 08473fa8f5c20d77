import { Module } from '@nestjs/common';
import { TimelineConsumer } from './timeline.consumer';
import { TimelineProjector } from './timeline-projector.service';

@Module({
  controllers: [TimelineConsumer],
  providers: [TimelineProjector],
  exports: [TimelineProjector],
})
export class TimelineModule {}
