import { Inject, Injectable } from '@nestjs/common';
import { referenceData } from '@tongban/reference-data';
import { SERVICE_CONFIG } from '@tongban/runtime';
import type { ApprovalConfig } from '../config/approval-config';
import { CompressedClock } from './compressed-clock';
import type { SlaPolicy, WorkingClock } from './sla-clock';

/**
 * The working-time arithmetic of each deciding department: its working-day calendar
 * (`calendarForDepartment`), or, when SLA_TEST_SECONDS_PER_DAY is set (tests only), the
 * compressed continuous clock for everyone.
 */
@Injectable()
export class SlaClocks {
  readonly policy: SlaPolicy;
  private readonly compressed: CompressedClock | undefined;

  constructor(@Inject(SERVICE_CONFIG) config: ApprovalConfig) {
    this.policy = {
      warningShare: config.SLA_WARNING_SHARE,
      escalationSeconds: config.SLA_ESCALATION_WORKING_HOURS * 3600,
    };
    this.compressed =
      config.SLA_TEST_SECONDS_PER_DAY === undefined
        ? undefined
        : new CompressedClock(config.SLA_TEST_SECONDS_PER_DAY);
  }

  get mode(): 'calendar' | 'compressed' {
    return this.compressed ? 'compressed' : 'calendar';
  }

  clockFor(departmentId: string): WorkingClock {
    return this.compressed ?? referenceData().calendarForDepartment(departmentId);
  }

  /**
   * The statutory due instant. Routing computed `slaDueAt` on the deciding (primary) department's
   * calendar from the acceptance instant, which approval does not see; it is taken as is. The
   * compressed clock counts the time limit from the start of the clock instead.
   */
  initialDue(startedAt: Date, slaDueAt: Date, timeLimitDays: number): Date {
    return this.compressed ? this.compressed.addWorkingDays(startedAt, timeLimitDays) : slaDueAt;
  }

  addWorkingDays(departmentId: string, from: Date, days: number): Date {
    return (this.compressed ?? referenceData().calendarForDepartment(departmentId)).addWorkingDays(
      from,
      days,
    );
  }
}
