import { Inject, Injectable } from '@nestjs/common';
import { ReferenceData } from '@tongban/reference-data';
import { SERVICE_CONFIG } from '@tongban/runtime';
import type { ApprovalConfig } from '../config/approval-config';
import type { ApprovalPolicy } from '../domain/approval-case';
import { CompressedClock } from '../domain/compressed-clock';
import type { SlaPolicy, WorkingClock } from '../domain/sla-clock';

/**
 * The working-time arithmetic of each deciding department: its working-day calendar
 * (`calendarForDepartment`), or, when SLA_TEST_SECONDS_PER_DAY is set (tests only), the
 * compressed continuous clock for everyone.
 */
@Injectable()
export class SlaClocks {
  readonly policy: SlaPolicy;
  private readonly compressed: CompressedClock | undefined;

  constructor(
    @Inject(SERVICE_CONFIG) config: ApprovalConfig,
    private readonly reference: ReferenceData,
  ) {
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
    return this.compressed ?? this.reference.calendarForDepartment(departmentId);
  }

  /**
   * The decision policy of a case decided by `departmentId`. Routing computed `slaDueAt` on that
   * department's calendar from the acceptance instant, which approval does not see, so it is
   * taken as is; the compressed clock counts the time limit from the start of the clock instead.
   */
  policyFor(departmentId: string): ApprovalPolicy {
    return {
      clock: this.clockFor(departmentId),
      sla: this.policy,
      dueFromTimeLimit: this.mode === 'compressed',
    };
  }
}
