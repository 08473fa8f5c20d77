import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_METRICS } from '@tongban/runtime';
import { Counter, type Registry } from 'prom-client';

/** Intake's stage metrics; labels are bounded (offices, items, channels), never case ids. */
@Injectable()
export class IntakeMetrics {
  readonly submitted: Counter<'office' | 'item' | 'channel'>;
  readonly ratings: Counter<'office' | 'score'>;

  constructor(@Inject(SERVICE_METRICS) registry: Registry) {
    this.submitted = new Counter({
      name: 'tongban_cases_submitted_total',
      help: 'Cases accepted at a window, by office, item and channel (self, staff_assisted, agent)',
      labelNames: ['office', 'item', 'channel'],
      registers: [registry],
    });
    this.ratings = new Counter({
      name: 'tongban_ratings_total',
      help: 'Ratings (好差评) given to completed cases, by the office that accepted the case and score (1-5)',
      labelNames: ['office', 'score'],
      registers: [registry],
    });
  }
}
