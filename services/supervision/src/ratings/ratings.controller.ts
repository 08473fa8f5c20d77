import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public, Roles } from '@tongban/auth';
import { ApplicantProofBudget } from './applicant-proof-budget';
import { ApplicantRatingDto, CaseRatingsDto, WindowRatingDto } from './rating.dto';
import { RatingService } from './rating.service';
import { RatingStore } from './rating-store';

@ApiTags('ratings')
@Controller('ratings')
export class RatingsController {
  constructor(
    private readonly ratings: RatingService,
    private readonly store: RatingStore,
    private readonly budget: ApplicantProofBudget,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary:
      '好差评 by the applicant: one of five levels for one stage (acceptance, decision, handover) the case went through, once per stage; proved by receipt and phone ending. A 差评 opens a rectification.',
  })
  async rate(@Body() body: ApplicantRatingDto) {
    await this.budget.spend(body.receipt);
    return this.ratings.rateByApplicant(body.receipt, body.phoneLast4, {
      stage: body.stage,
      level: body.level,
      comment: body.comment,
      channel: body.channel,
    });
  }

  @Post('window')
  @Roles('office_staff')
  @ApiBearerAuth()
  @HttpCode(201)
  @ApiOperation({
    summary: '好差评 at the window’s rating pad, for a case the office accepted or handed over.',
  })
  rateAtWindow(@Body() body: WindowRatingDto, @CurrentActor() actor: Actor) {
    return this.ratings.rateAtWindow(actor, body.caseId, {
      stage: body.stage,
      level: body.level,
      comment: body.comment,
      channel: 'window',
    });
  }

  @Get()
  @Roles('office_staff', 'reviewer', 'courier', 'operator', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The ratings of a case within the caller’s scope (office, department, courier).' })
  async ofCase(@Query() query: CaseRatingsDto, @CurrentActor() actor: Actor) {
    const rows = await this.store.ratingsOf(query.caseId, actor);
    return {
      items: rows.map((row) => ({
        id: row.id,
        caseId: row.case_id,
        stage: row.stage,
        level: row.level,
        comment: row.comment,
        channel: row.channel,
        itemCode: row.item_code,
        officeId: row.office_id,
        departmentId: row.department_id,
        staff: { sub: row.staff_sub, role: row.staff_role },
        ratedAt: row.rated_at.toISOString(),
        withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
      })),
    };
  }
}
