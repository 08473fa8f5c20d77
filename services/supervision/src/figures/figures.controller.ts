import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@tongban/auth';
import { combineFigures, type FigureDimension, monthPeriod, periodOf, rankWindows } from './figures';
import { FiguresQueryDto, RankingQueryDto } from './figures.dto';
import { FiguresStore } from './figures-store';

/**
 * Service-quality figures from the database (not from Prometheus, whose retention is weeks):
 * scoped like the case lists, staff to their office, reviewers to their department.
 */
@ApiTags('figures')
@ApiBearerAuth()
@Controller('figures')
export class FiguresController {
  constructor(private readonly store: FiguresStore) {}

  private async figures(actor: Actor, dimension: FigureDimension, from: string, to: string) {
    const { start, end } = periodOf(from, to);
    const [cases, ratings] = await Promise.all([
      this.store.caseCounts(actor, dimension, start, end),
      this.store.ratingCounts(actor, dimension, start, end),
    ]);
    return combineFigures(cases, ratings);
  }

  @Get()
  @Roles('office_staff', 'reviewer', 'operator', 'admin')
  @ApiOperation({
    summary:
      'Per office, department, item, staff member or district: cases accepted in [from, to] (China dates) and how they went — on time (legal, promised), 即办, working days (avg, p90), supplement rounds, 容缺, cross-district — and the period’s ratings and 差评 handling.',
  })
  async list(@Query() query: FiguresQueryDto, @CurrentActor() actor: Actor) {
    return {
      dimension: query.dimension,
      from: query.from,
      to: query.to,
      items: await this.figures(actor, query.dimension, query.from, query.to),
    };
  }

  @Get('ranking')
  @Roles('operator', 'admin')
  @ApiOperation({
    summary:
      'The month’s ranking of windows (offices): satisfaction, then the legal on-time rate, the instant rate and cases accepted.',
  })
  async ranking(@Query() query: RankingQueryDto, @CurrentActor() actor: Actor) {
    const { from, to } = monthPeriod(query.month);
    return { month: query.month, items: rankWindows(await this.figures(actor, 'office', from, to)) };
  }
}
