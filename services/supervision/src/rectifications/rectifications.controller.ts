import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, AllowOperatorWrite, CurrentActor, Roles } from '@tongban/auth';
import { UuidParamPipe } from '@tongban/runtime';
import {
  AppealDecisionDto,
  AppealDto,
  ListRectificationsDto,
  RectifiedDto,
  ReturnVisitDto,
  VerificationDto,
} from './rectification.dto';
import { RectificationService } from './rectification.service';

const HANDLERS = ['office_staff', 'reviewer', 'courier'] as const;

/**
 * 差评整改: the handler of the rated stage records the return visit, the verification, the fix
 * or an appeal; the supervision platform (operators, admins) decides appeals. Every caller sees
 * the rectifications of their scope only; another scope's answers 404.
 */
@ApiTags('rectifications')
@ApiBearerAuth()
@Controller('rectifications')
export class RectificationsController {
  constructor(private readonly rectifications: RectificationService) {}

  @Get()
  @Roles(...HANDLERS, 'operator', 'admin')
  @ApiOperation({
    summary: 'Rectifications in the caller’s scope, soonest due first; overdue=true for those past due.',
  })
  list(@Query() query: ListRectificationsDto, @CurrentActor() actor: Actor) {
    return this.rectifications.list(actor, query);
  }

  @Get(':id')
  @Roles(...HANDLERS, 'operator', 'admin')
  @ApiOperation({ summary: 'A rectification with its visit, verification, fix and appeal.' })
  view(@Param('id', UuidParamPipe) id: string, @CurrentActor() actor: Actor) {
    return this.rectifications.view(actor, id);
  }

  @Post(':id/return-visit')
  @Roles(...HANDLERS)
  @HttpCode(200)
  @ApiOperation({ summary: '回访: the owner contacted the rater (open → visited).' })
  visit(@Param('id', UuidParamPipe) id: string, @Body() body: ReturnVisitDto, @CurrentActor() actor: Actor) {
    return this.rectifications.act(actor, id, { kind: 'visit', note: body.note });
  }

  @Post(':id/verification')
  @Roles(...HANDLERS)
  @HttpCode(200)
  @ApiOperation({
    summary: '核实: confirmed → rectifying; not confirmed → explained to the rater (closed, fed back).',
  })
  verify(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: VerificationDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.rectifications.act(actor, id, { kind: 'verify', verdict: body.verdict, note: body.note });
  }

  @Post(':id/rectification')
  @Roles(...HANDLERS)
  @HttpCode(200)
  @ApiOperation({
    summary: '整改: fixed (立行立改 on the visit’s day, else 限期整改); closed and fed back to the rater.',
  })
  rectify(@Param('id', UuidParamPipe) id: string, @Body() body: RectifiedDto, @CurrentActor() actor: Actor) {
    return this.rectifications.act(actor, id, { kind: 'rectify', note: body.note });
  }

  @Post(':id/appeal')
  @Roles(...HANDLERS)
  @HttpCode(200)
  @ApiOperation({ summary: '申诉: the owner claims the rating is wrong, after the return visit, once.' })
  appeal(@Param('id', UuidParamPipe) id: string, @Body() body: AppealDto, @CurrentActor() actor: Actor) {
    return this.rectifications.act(actor, id, { kind: 'appeal', reason: body.reason });
  }

  @Post(':id/appeal-decision')
  @Roles('operator', 'admin')
  @AllowOperatorWrite()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Upheld: the rating is withdrawn (no longer counts) and the rater told; rejected: back to verification.',
  })
  decideAppeal(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AppealDecisionDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.rectifications.act(actor, id, {
      kind: 'decide_appeal',
      decision: body.decision,
      note: body.note,
    });
  }
}
