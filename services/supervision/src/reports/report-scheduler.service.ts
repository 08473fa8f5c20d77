import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { REPORT_SCHEDULE, type ReportSchedule } from '../config/supervision-config';
import { ReportService } from './report.service';

/** Checks every REPORT_SCHEDULE_POLL_MS that the last day's, week's and month's reports exist. */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly reports: ReportService,
    @Inject(REPORT_SCHEDULE) private readonly schedule: ReportSchedule,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.schedule.pollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.reports
      .runSchedule()
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.warn({ msg: 'scheduled reports not generated; next round retries', err: error }),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
