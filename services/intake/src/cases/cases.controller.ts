import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public, Roles } from '@tongban/auth';
import { RateCaseDto, SupplementCaseDto, TrackCaseDto } from './case-followups.dto';
import { CaseFollowups } from './case-followups.service';
import { CaseQueries } from './case-queries.service';
import { CaseSubmissionService } from './case-submission.service';
import { ListCasesDto } from './list-cases.dto';
import { parseSubmission, SubmitCaseDto } from './submit-case.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly submission: CaseSubmissionService,
    private readonly queries: CaseQueries,
    private readonly followups: CaseFollowups,
  ) {}

  @Post()
  @Roles('office_staff')
  @ApiOperation({
    summary: 'Accept a case at the caller’s office (一窗受理); 201 with the case id and receipt number.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retried POST with the same key returns the first answer; 8-128 letters, digits, _ . : - (400 otherwise, with the body’s issues).',
  })
  @ApiBody({ type: SubmitCaseDto })
  submit(@Body() body: unknown, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.submission.submit(actor, parseSubmission(body, key), key);
  }

  @Get()
  @Roles('office_staff', 'operator', 'admin')
  @ApiOperation({
    summary: 'Cases of the caller’s office (all offices for operators), newest first, cursor-paginated.',
  })
  list(@Query() query: ListCasesDto, @CurrentActor() actor: Actor) {
    return this.queries.list(actor, query);
  }

  @Post('track')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The applicant’s own lookup, proved by receipt number and the phone’s last four digits in the body; each receipt takes a limited number of tries (429 with Retry-After once locked).',
  })
  track(@Body() body: TrackCaseDto) {
    return this.followups.track(body);
  }

  @Post('rating')
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary:
      '好差评: rate a completed case once, proved by receipt number and phone ending in the body (same per-receipt budget as tracking).',
  })
  rate(@Body() body: RateCaseDto) {
    return this.followups.rate(body);
  }

  @Get(':id')
  @Roles('office_staff', 'operator', 'admin')
  @ApiOperation({ summary: 'A case, with masked identifiers.' })
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.queries.get(actor, id);
  }

  @Get(':id/timeline')
  @Roles('office_staff', 'operator', 'admin')
  @ApiOperation({
    summary: 'Where is my case: every stage with its time, office or department and actor role.',
  })
  timeline(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.queries.timeline(actor, id);
  }

  @Post(':id/supplements')
  @Roles('office_staff')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Answer the open supplement request (一次性告知) with every material it lists; 409 when none is open.',
  })
  supplement(@Param('id') id: string, @Body() body: SupplementCaseDto, @CurrentActor() actor: Actor) {
    return this.followups.supplement(actor, id, body);
  }
}
