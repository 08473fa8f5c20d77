import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, AllowOperatorWrite, AuditTrail, CurrentActor, Roles } from '@tongban/auth';
import { UuidParamPipe } from '@tongban/runtime';
import type { Response } from 'express';
import { GenerateReportDto, ListReportsDto } from './report.dto';
import { periodStarting, type ReportPeriod } from './report-periods';
import { type ListedReport, ReportStore } from './report-store';
import { ReportService } from './report.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function view(row: ListedReport) {
  return {
    id: row.id,
    kind: row.kind,
    from: row.period_from,
    to: row.period_to,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    generatedAt: row.generated_at.toISOString(),
    summary: row.summary,
    xlsx: `/reports/${row.id}/xlsx`,
    printable: `/reports/${row.id}/printable`,
  };
}

/** 日报告、周通报、月汇总 for the supervision platform: generated, kept, listed, downloaded. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('operator', 'admin')
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly store: ReportStore,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  @AllowOperatorWrite()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Generates a daily, weekly (from a Monday) or monthly (from the 1st) report now, and keeps it.',
  })
  async generate(@Body() body: GenerateReportDto, @CurrentActor() actor: Actor) {
    const report = await this.reports.onDemand(periodStarting(body.kind, body.from) as ReportPeriod, actor);
    await this.store.transaction((unit) =>
      this.audit.record(unit.manager, {
        actor,
        action: 'report.generate',
        objectType: 'report',
        objectId: report.id,
        result: 'succeeded',
        detail: { kind: report.kind, from: report.period_from },
      }),
    );
    return view(report);
  }

  @Get()
  @ApiOperation({ summary: 'The kept reports, newest first (scheduled and on demand).' })
  async list(@Query() query: ListReportsDto) {
    return { items: (await this.store.list(query.kind, query.limit)).map(view) };
  }

  @Get(':id/xlsx')
  @ApiOperation({ summary: 'The report as an XLSX workbook.' })
  async xlsx(@Param('id', UuidParamPipe) id: string, @Res() response: Response) {
    const row = await this.store.find(id);
    if (!row) throw new NotFoundException();
    response
      .type(XLSX)
      .attachment(`tongban-${row.kind}-${row.period_from}.xlsx`)
      .send(Buffer.from(row.xlsx_base64, 'base64'));
  }

  @Get(':id/printable')
  @ApiOperation({ summary: 'The report as a printable page.' })
  async printable(@Param('id', UuidParamPipe) id: string, @Res() response: Response) {
    const row = await this.store.find(id);
    if (!row) throw new NotFoundException();
    response.type('html').send(row.html);
  }
}
