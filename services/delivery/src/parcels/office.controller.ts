import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public, Roles } from '@tongban/auth';
import {
  ApplicantSwitchDto,
  AssignCourierDto,
  ListParcelsDto,
  PostParcelDto,
  SwitchToPickupDto,
  WindowHandoverDto,
} from './parcel.dto';
import { ParcelOperations } from './parcel-operations.service';
import { ParcelQueries } from './parcel-queries.service';

type Staff = Extract<Actor, { role: 'office_staff' }>;

/** Office staff, on the parcels of their office: dispatch desk and pickup window. Operators read. */
@ApiTags('parcels')
@ApiBearerAuth()
@Controller('parcels')
export class OfficeController {
  constructor(
    private readonly operations: ParcelOperations,
    private readonly queries: ParcelQueries,
  ) {}

  @Get()
  @Roles('office_staff', 'operator', 'admin')
  @ApiOperation({
    summary: 'Parcels at the caller’s office (all offices for operators), oldest change first.',
  })
  list(@Query() query: ListParcelsDto, @CurrentActor() actor: Actor) {
    return this.queries.list(actor, query);
  }

  @Post('switch-to-pickup')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      '通取 by the applicant: collect at an office instead of door or post delivery, while the parcel has not left; proved by tracking number or receipt number, and phone ending.',
  })
  applicantSwitch(@Body() body: ApplicantSwitchDto) {
    return this.operations.switchToPickup(
      // The DTO requires exactly one of the two numbers.
      { reference: body.trackingNumber ?? body.receipt ?? '', phoneLast4: body.phoneLast4 },
      body.officeId,
    );
  }

  @Get(':id')
  @Roles('office_staff', 'operator', 'admin')
  @ApiOperation({ summary: 'A parcel with its history and chain of custody (masked identifiers).' })
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.queries.detail(actor, id);
  }

  @Post(':id/receive')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take the parcel in from the department (or from another office after a switch).',
  })
  receive(@Param('id') id: string, @CurrentActor() actor: Staff) {
    return this.operations.receive(actor, id);
  }

  @Post(':id/assign')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a door delivery to a courier, before it leaves the office.' })
  assign(@Param('id') id: string, @Body() body: AssignCourierDto, @CurrentActor() actor: Staff) {
    return this.operations.assign(actor, id, body.courierId);
  }

  @Post(':id/post')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand a postal delivery to the post, recording its tracking number.' })
  post(@Param('id') id: string, @Body() body: PostParcelDto, @CurrentActor() actor: Staff) {
    return this.operations.post(actor, id, body.postalTrackingNumber);
  }

  @Post(':id/post-delivered')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the post’s proof of delivery.' })
  postDelivered(@Param('id') id: string, @CurrentActor() actor: Staff) {
    return this.operations.confirmPostDelivery(actor, id);
  }

  @Post(':id/return-to-window')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take back a parcel the courier or post could not deliver; it becomes a pickup at this window.',
  })
  returnToWindow(@Param('id') id: string, @CurrentActor() actor: Staff) {
    return this.operations.returnToWindow(actor, id);
  }

  @Post(':id/handover')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hand the parcel over at the window after verifying the pickup code (single use, rate-limited).',
  })
  handover(@Param('id') id: string, @Body() body: WindowHandoverDto, @CurrentActor() actor: Staff) {
    return this.operations.collect(actor, id, body);
  }

  @Post(':id/pickup-code')
  @Roles('office_staff')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Send the applicant a new pickup code by SMS (lost, expired or locked); the code is never shown.',
  })
  reissueCode(@Param('id') id: string, @CurrentActor() actor: Staff) {
    return this.operations.reissueCode(actor, id);
  }

  @Post(':id/switch-to-pickup')
  @Roles('office_staff')
  @HttpCode(200)
  @ApiOperation({
    summary: '通取 on the applicant’s behalf: pickup at an office instead, while the parcel has not left.',
  })
  switchToPickup(@Param('id') id: string, @Body() body: SwitchToPickupDto, @CurrentActor() actor: Staff) {
    return this.operations.switchToPickup({ actor }, body.officeId, id);
  }
}
