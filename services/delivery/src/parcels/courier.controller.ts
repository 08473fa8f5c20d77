import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@tongban/auth';
import {
  DeliverParcelDto,
  FailedAttemptDto,
  ListParcelsDto,
  PickUpParcelsDto,
  RescheduleDto,
} from './parcel.dto';
import { ParcelOperations } from './parcel-operations.service';
import { ParcelQueries } from './parcel-queries.service';

type Courier = Extract<Actor, { role: 'courier' }>;

/** Couriers and grid workers, on the parcels assigned to them only. */
@ApiTags('courier')
@ApiBearerAuth()
@Roles('courier')
@Controller('courier')
export class CourierController {
  constructor(
    private readonly operations: ParcelOperations,
    private readonly queries: ParcelQueries,
  ) {}

  @Get('parcels')
  @ApiOperation({ summary: 'The caller’s assigned parcels (masked identifiers).' })
  list(@Query() query: ListParcelsDto, @CurrentActor() actor: Courier) {
    return this.queries.list(actor, query);
  }

  @Get('parcels/:id')
  @ApiOperation({
    summary:
      'One assigned parcel with history, custody and the applicant’s phone to call (never the ID number).',
  })
  get(@Param('id') id: string, @CurrentActor() actor: Courier) {
    return this.queries.forCourier(actor, id);
  }

  @Post('pickups')
  @HttpCode(201)
  @ApiOperation({ summary: 'Take assigned parcels at one office against one signed receipt (回执单).' })
  pickUp(@Body() body: PickUpParcelsDto, @CurrentActor() actor: Courier) {
    return this.operations.pickUp(actor, body.parcelIds, body.signatureRef);
  }

  @Get('receipts/:id')
  @ApiOperation({ summary: 'A receipt the caller signed.' })
  receipt(@Param('id') id: string, @CurrentActor() actor: Courier) {
    return this.operations.receipt(actor, id);
  }

  @Post('parcels/:id/out-for-delivery')
  @HttpCode(200)
  @ApiOperation({ summary: 'Leave for the applicant’s door (after pick-up or a reschedule).' })
  goOut(@Param('id') id: string, @CurrentActor() actor: Courier) {
    return this.operations.goOut(actor, id);
  }

  @Post('parcels/:id/delivered')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delivered, proved by the applicant’s pickup code or ID last four, plus a signature or photo.',
  })
  deliver(@Param('id') id: string, @Body() body: DeliverParcelDto, @CurrentActor() actor: Courier) {
    return this.operations.deliver(actor, id, body);
  }

  @Post('parcels/:id/failed-attempts')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A failed attempt with its reason code and, when agreed by phone, the next attempt time.',
  })
  fail(@Param('id') id: string, @Body() body: FailedAttemptDto, @CurrentActor() actor: Courier) {
    return this.operations.failAttempt(actor, id, body.reason, body.nextAttemptAt);
  }

  @Post('parcels/:id/reschedule')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Agree the next attempt; refused (409) once the failed-attempt limit is reached.',
  })
  reschedule(@Param('id') id: string, @Body() body: RescheduleDto, @CurrentActor() actor: Courier) {
    return this.operations.reschedule(actor, id, body.nextAttemptAt);
  }
}
