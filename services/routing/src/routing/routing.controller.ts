import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidParamPipe } from '@tongban/runtime';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, AllowOperatorWrite, CurrentActor, Roles } from '@tongban/auth';
import { DryRun } from './dry-run.service';
import { ManualRouting } from './manual-routing.service';
import { AssignTriageDto, DryRunDto, ListTriageDto, RerouteDto } from './routing-requests.dto';

@ApiTags('routing')
@ApiBearerAuth()
@Controller()
export class RoutingController {
  constructor(
    private readonly dryRuns: DryRun,
    private readonly manual: ManualRouting,
  ) {}

  @Post('routing/dry-run')
  @HttpCode(200)
  @Roles('office_staff', 'reviewer', 'operator', 'admin')
  // A question, not a change: nothing is stored, so operators may ask it too.
  @AllowOperatorWrite()
  @ApiOperation({ summary: 'Where would this case go? The decision and its explanation; nothing is stored.' })
  dryRun(@Body() body: DryRunDto) {
    return this.dryRuns.run(body);
  }

  @Get('routing/cases/:caseId')
  @Roles('operator', 'admin')
  @ApiOperation({
    summary: 'A case’s routing history: every decision with its rule version, inputs and steps.',
  })
  history(@Param('caseId', UuidParamPipe) caseId: string) {
    return this.manual.history(caseId);
  }

  @Post('routing/cases/:caseId/reroute')
  @HttpCode(200)
  @Roles('operator', 'admin')
  @AllowOperatorWrite()
  @ApiOperation({
    summary:
      'Re-route a case that reached the wrong department: emits a case.routed that supersedes the current routing. 409 when that routing is no longer current or the case is decided.',
  })
  reroute(
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: RerouteDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.manual.reroute(actor, caseId, body);
  }

  @Get('triage')
  @Roles('operator', 'admin')
  @ApiOperation({ summary: 'Cases no rule could route, oldest first.' })
  triage(@Query() query: ListTriageDto) {
    return this.manual.openTriage(query);
  }

  @Post('triage/:caseId/assign')
  @HttpCode(200)
  @Roles('operator', 'admin')
  @AllowOperatorWrite()
  @ApiOperation({
    summary: 'Assign a triaged case to a department by hand; emits case.routed (basis manual).',
  })
  assign(
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: AssignTriageDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.manual.assignFromTriage(actor, caseId, body);
  }
}
