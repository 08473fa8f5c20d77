import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@tongban/auth';
import { monthPeriod, rankWindows } from './figures';
import { FiguresQueryDto, RankingQueryDto } from './figures.dto';
import { FiguresService } from './figures.service';

/**
 * Service-quality figures from the database (not from Prometheus, whose retention is weeks):
 * scoped like the case lists, staff to their office, reviewers to their department.
 */
@ApiTags('figures')
@ApiBearerAuth()
@Controller('figures')
export class FiguresController {
  constructor(private readonly service: FiguresService) {}

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
      items: await this.service.figures(actor, query.dimension, query.from, query.to),
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
    return { month: query.month, items: rankWindows(await this.service.figures(actor, 'office', from, to)) };
  }
}
