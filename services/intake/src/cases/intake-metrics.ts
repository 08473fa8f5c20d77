import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, type Registry } from 'prom-client';

/** Intake's stage metrics; labels are bounded (offices, items, channels), never case ids. */
@Injectable()
export class IntakeMetrics {
  readonly submitted: Counter<'office' | 'item' | 'channel'>;

  constructor(@Inject(SERVICE_METRICS) registry: Registry) {
    this.submitted = new Counter({
      name: 'tongban_cases_submitted_total',
      help: 'Cases accepted at a window, by office, item and channel (self, staff_assisted, agent)',
      labelNames: ['office', 'item', 'channel'],
      registers: [registry],
    });
  }
}
