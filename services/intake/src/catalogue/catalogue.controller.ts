import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tongban/auth';
import { ReferenceData } from '@tongban/reference-data';
import { code } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { catalogueItemView, catalogueOfficeView } from './catalogue-view';

class CatalogueItemsQuery extends createZodDto(z.object({ officeId: code().optional() })) {}

/** The catalogue staff (and the console) read instead of items.json; the reference data in force. */
@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('catalogue')
@Roles('office_staff', 'reviewer', 'operator', 'admin')
export class CatalogueController {
  constructor(private readonly data: ReferenceData) {}

  @Get('items')
  @ApiOperation({
    summary:
      'Service items with their materials (conditions, critical, 容缺 allowed), limits and the offices that accept them; officeId keeps the items that office accepts.',
  })
  items(@Query() query: CatalogueItemsQuery) {
    const items =
      query.officeId === undefined ? this.data.items() : this.data.itemsAcceptedAt(query.officeId);
    return {
      version: this.data.versions.items,
      items: items.map((item) => catalogueItemView(this.data, item)),
    };
  }

  @Get('items/:code')
  @ApiOperation({ summary: 'One service item; 404 for an unknown code.' })
  item(@Param('code') itemCode: string) {
    const item = this.data.item(itemCode);
    if (!item) throw new NotFoundException();
    return catalogueItemView(this.data, item);
  }

  @Get('offices')
  @ApiOperation({
    summary: 'Offices with address, pickup window and opening hours (Saturday service included).',
  })
  offices() {
    return {
      version: this.data.versions.offices,
      offices: this.data.offices().map((office) => catalogueOfficeView(this.data, office)),
    };
  }
}
