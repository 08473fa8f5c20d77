import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, AllowOperatorWrite, CurrentActor, Roles } from '@tongban/auth';
import { PiiCipher } from '@tongban/pii';
import { CaseQueries } from './case-queries.service';
import { SearchCasesDto } from './search-cases.dto';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseSearchController {
  constructor(
    private readonly queries: CaseQueries,
    private readonly cipher: PiiCipher,
  ) {}

  @Post('search')
  @Roles('office_staff', 'operator', 'admin')
  @HttpCode(200)
  // A read: POST only so the ID number travels in the body, never in a URL or an access log.
  @AllowOperatorWrite()
  @ApiOperation({
    summary:
      'Staff search by receipt number, applicant ID number (through its lookup hash) or name, scoped as the case list; masked identifiers only.',
  })
  search(@Body() body: SearchCasesDto, @CurrentActor() actor: Actor) {
    const { idNumber, ...rest } = body;
    return this.queries.list(actor, {
      ...rest,
      idNumberHash: idNumber === undefined ? undefined : this.cipher.hashResidentId(idNumber),
    });
  }
}
