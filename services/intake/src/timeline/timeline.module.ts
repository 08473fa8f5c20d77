import { Module } from '@nestjs/common';
import { TimelineConsumer } from './timeline.consumer';
import { TimelineProjector } from './timeline-projector.service';
import { TimelineStore } from './timeline-store';

@Module({
  controllers: [TimelineConsumer],
  providers: [TimelineStore, TimelineProjector],
  exports: [TimelineProjector],
})
export class TimelineModule {}
