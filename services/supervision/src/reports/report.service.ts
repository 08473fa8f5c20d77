import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@tongban/auth';
import { ReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { periodOf } from '../figures/figures';
import { FiguresService } from '../figures/figures.service';
import type { ReportRow } from '../database/supervision-tables';
import { lastCompletedPeriods, type ReportPeriod } from './report-periods';
import { type ListedReport, ReportStore } from './report-store';
import { renderPrintable, renderWorkbook, type ReportContent } from './report-workbook';

// Reports cover every office: the figures are read with an unscoped (admin) actor.
const EVERYTHING: Actor = { sub: 'supervision-reports', role: 'admin' };

/** 日报告、周通报、月汇总: generated on demand or on the schedule, kept in the database. */
@Injectable()
export class ReportService {
  private readonly logger = new Logger(ReportService.name);

  constructor(
    private readonly store: ReportStore,
    private readonly figures: FiguresService,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
  ) {}

  /** A report asked for by a person: always a new one, even for a period already reported. */
  async onDemand(period: ReportPeriod, actor: Actor): Promise<ListedReport> {
    const row = await this.build(period, 'demand', actor.sub);
    await this.store.transaction((unit) => this.store.add(unit.manager, row));
    return listed(row);
  }

  /**
   * Makes sure the last completed day, week and month each have their scheduled report. Every
   * instance calls it; the advisory lock lets one work at a time and the others skip the round,
   * and the unique index would refuse a second report of a period anyway.
   */
  async runSchedule(): Promise<ListedReport[]> {
    const made: ListedReport[] = [];
    for (const period of lastCompletedPeriods(this.clock.now())) {
      const row = await this.store.transaction(async (unit) => {
        if (!(await this.store.trySchedulingLock(unit.manager))) return undefined;
        if (await this.store.scheduledExists(unit.manager, period.kind, period.from)) return undefined;
        const built = await this.build(period, 'schedule', null);
        await this.store.add(unit.manager, built);
        return built;
      });
      if (row) {
        this.logger.log({
          msg: 'report generated',
          kind: row.kind,
          from: row.period_from,
          to: row.period_to,
        });
        made.push(listed(row));
      }
    }
    return made;
  }

  private async build(
    period: ReportPeriod,
    trigger: 'schedule' | 'demand',
    by: string | null,
  ): Promise<ReportRow> {
    const { start, end } = periodOf(period.from, period.to);
    const [total, byOffice, byDepartment, byItem, rectifications] = await Promise.all([
      this.figures.figures(EVERYTHING, 'all', period.from, period.to),
      this.figures.figures(EVERYTHING, 'office', period.from, period.to),
      this.figures.figures(EVERYTHING, 'department', period.from, period.to),
      this.figures.figures(EVERYTHING, 'item', period.from, period.to),
      this.store.rectificationsOpened(start, end),
    ]);
    const generatedAt = this.clock.now();
    const content: ReportContent = {
      period,
      generatedAt,
      total: total[0],
      byOffice,
      byDepartment,
      byItem,
      rectifications,
      nameOf: (dimension, key) =>
        (dimension === 'office'
          ? this.reference.office(key)?.name
          : dimension === 'department'
            ? this.reference.department(key)?.name
            : this.reference.item(key)?.name) ?? '',
    };
    return {
      id: randomUUID(),
      kind: period.kind,
      period_from: period.from,
      period_to: period.to,
      trigger,
      requested_by: by,
      generated_at: generatedAt,
      xlsx_base64: (await renderWorkbook(content)).toString('base64'),
      html: renderPrintable(content),
      summary: total[0] ?? {},
    };
  }
}

function listed(row: ReportRow): ListedReport {
  return {
    id: row.id,
    kind: row.kind,
    period_from: row.period_from,
    period_to: row.period_to,
    trigger: row.trigger,
    requested_by: row.requested_by,
    generated_at: row.generated_at,
    summary: row.summary,
  };
}
