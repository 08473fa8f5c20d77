import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@tongban/auth';
import { verifyApplicantLink } from '@tongban/sms';
import { RateByLinkDto } from './case-followups.dto';
import { CaseFollowups } from './case-followups.service';

export const APPLICANT_LINK_KEY = Symbol('APPLICANT_LINK_KEY');

/**
 * The links in the applicants' text messages (`/r/<token>`): the token names the case, signed by
 * the notification service with the shared PII_HASH_KEY under a label of its own. A token that
 * does not verify answers 404, like an unknown case.
 */
@ApiTags('applicant')
@Controller('r')
export class ApplicantLinksController {
  constructor(
    @Inject(APPLICANT_LINK_KEY) private readonly key: Buffer,
    private readonly followups: CaseFollowups,
  ) {}

  private caseOf(token: string): string {
    const caseId = verifyApplicantLink(this.key, 'rate', token);
    if (!caseId) throw new NotFoundException();
    return caseId;
  }

  @Get(':token')
  @Public()
  @ApiOperation({
    summary: 'The case a rating link names: receipt, item, status, and whether it can still be rated.',
  })
  view(@Param('token') token: string) {
    return this.followups.linkView(this.caseOf(token));
  }

  @Post(':token')
  @Public()
  @HttpCode(201)
  @ApiOperation({ summary: '好差评 through the text message’s link: once per case (409 after).' })
  rate(@Param('token') token: string, @Body() body: RateByLinkDto) {
    return this.followups.rateByLink(this.caseOf(token), body);
  }
}
