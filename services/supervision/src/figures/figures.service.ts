import { Injectable } from '@nestjs/common';
import type { Actor } from '@tongban/auth';
import { combineFigures, type Figures, periodOf } from './figures';
import { type FigureGrouping, FiguresStore } from './figures-store';

/** The figures of a period, as the API and the reports show them. */
@Injectable()
export class FiguresService {
  constructor(private readonly store: FiguresStore) {}

  async figures(actor: Actor, grouping: FigureGrouping, from: string, to: string): Promise<Figures[]> {
    const { start, end } = periodOf(from, to);
    const [cases, ratings] = await Promise.all([
      this.store.caseCounts(actor, grouping, start, end),
      this.store.ratingCounts(actor, grouping, start, end),
    ]);
    return combineFigures(cases, ratings);
  }
}
