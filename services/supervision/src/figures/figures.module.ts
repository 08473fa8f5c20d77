import { Module } from '@nestjs/common';
import { FiguresController } from './figures.controller';
import { FiguresService } from './figures.service';
import { FiguresStore } from './figures-store';

/** Service-quality figures and the windows' monthly ranking. */
@Module({
  controllers: [FiguresController],
  providers: [FiguresService, FiguresStore],
  exports: [FiguresService],
})
export class FiguresModule {}
