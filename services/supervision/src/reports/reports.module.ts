import { type DynamicModule, Module } from '@nestjs/common';
import { REPORT_SCHEDULE, type SupervisionConfig } from '../config/supervision-config';
import { FiguresModule } from '../figures/figures.module';
import { ReportScheduler } from './report-scheduler.service';
import { ReportStore } from './report-store';
import { ReportService } from './report.service';
import { ReportsController } from './reports.controller';

/** Daily, weekly and monthly reports: on demand and on a schedule run once across instances. */
@Module({})
export class ReportsModule {
  static forRoot(config: SupervisionConfig): DynamicModule {
    return {
      module: ReportsModule,
      imports: [FiguresModule],
      controllers: [ReportsController],
      providers: [
        { provide: REPORT_SCHEDULE, useValue: { pollMs: config.REPORT_SCHEDULE_POLL_MS } },
        ReportScheduler,
        ReportService,
        ReportStore,
      ],
      exports: [ReportService],
    };
  }
}
