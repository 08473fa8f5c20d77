import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@tongban/auth';
import { RuleAdministration } from './rule-administration.service';
import { AddRuleVersionDto, ListRulesDto, RuleIdParamDto } from './rule-version.dto';

@ApiTags('routing rules')
@ApiBearerAuth()
@Controller('rules')
export class RulesController {
  constructor(private readonly rules: RuleAdministration) {}

  @Get()
  @ApiOperation({ summary: 'Every routing rule with the version in force (at `at`, default now).' })
  list(@Query() query: ListRulesDto) {
    return this.rules.list(query);
  }

  @Get(':ruleId')
  @ApiOperation({
    summary:
      'A rule’s full history: every version, its window, who added it and why. `ITEM` or `ITEM@REGION`.',
  })
  history(@Param() params: RuleIdParamDto) {
    return this.rules.history(params.ruleId);
  }

  @Post('versions')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Add a rule version (admin). Validated against the reference data; it may end the open-ended latest version where it starts, any other overlap is 409.',
  })
  addVersion(@Body() body: AddRuleVersionDto, @CurrentActor() actor: Actor) {
    return this.rules.addVersion(actor, body);
  }
}
