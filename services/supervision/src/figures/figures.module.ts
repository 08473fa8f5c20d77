import { Module } from '@nestjs/common';
import { FiguresController } from './figures.controller';
import { FiguresStore } from './figures-store';

/** Service-quality figures and the windows' monthly ranking. */
@Module({ controllers: [FiguresController], providers: [FiguresStore] })
export class FiguresModule {}
