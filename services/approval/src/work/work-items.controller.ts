import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@tongban/auth';
import { ReviewerActions } from './reviewer-actions.service';
import { ApproveDto, ListWorkItemsDto, RejectDto, RequestSupplementsDto } from './work-item.dto';
import { WorkItemQueries } from './work-item-queries.service';

@ApiTags('work items')
@ApiBearerAuth()
@Controller('work-items')
export class WorkItemsController {
  constructor(
    private readonly queries: WorkItemQueries,
    private readonly actions: ReviewerActions,
  ) {}

  @Get()
  @Roles('reviewer', 'operator', 'admin')
  @ApiOperation({
    summary:
      'The caller’s department queue, most urgent due time first, filtered by state, item, due soon, overdue, escalated or own claims; cursor-paginated.',
  })
  list(@Query() query: ListWorkItemsDto, @CurrentActor() actor: Actor) {
    return this.queries.list(actor, query);
  }

  @Get(':id')
  @Roles('reviewer', 'operator', 'admin')
  @ApiOperation({ summary: 'A work item with its case (masked identifiers) and supplement history.' })
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.queries.get(actor, id);
  }

  @Get(':id/applicant')
  @Roles('reviewer')
  @ApiOperation({
    summary: 'The applicant’s name in clear, to match against the materials; every opening is audited.',
  })
  applicant(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.queries.applicant(actor, id);
  }

  @Post(':id/claim')
  @Roles('reviewer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the item: one reviewer at a time; 409 when another reviewer holds it.' })
  claim(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.actions.claim(actor, id);
  }

  @Post(':id/release')
  @Roles('reviewer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the item back to the queue; supervisors may release anyone’s claim.' })
  release(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.actions.release(actor, id);
  }

  @Post(':id/approve')
  @Roles('reviewer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve (claim first): issues the result document number; the case is approved once every parallel department approved. 409 if already decided.',
  })
  approve(@Param('id') id: string, @Body() body: ApproveDto, @CurrentActor() actor: Actor) {
    return this.actions.approve(actor, id, body);
  }

  @Post(':id/reject')
  @Roles('reviewer')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Reject with a reason code and text (claim first): rejects the case and withdraws parallel departments.',
  })
  reject(@Param('id') id: string, @Body() body: RejectDto, @CurrentActor() actor: Actor) {
    return this.actions.reject(actor, id, body);
  }

  @Post(':id/supplement-requests')
  @Roles('reviewer')
  @HttpCode(201)
  @ApiOperation({
    summary:
      '一次性告知: list every missing or wrong material with its reason; pauses the SLA clock. 409 while a round is open or for materials the applicant did not change.',
  })
  requestSupplements(
    @Param('id') id: string,
    @Body() body: RequestSupplementsDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.actions.requestSupplements(actor, id, body);
  }
}
