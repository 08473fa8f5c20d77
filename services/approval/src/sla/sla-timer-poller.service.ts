import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Clock, SERVICE_CONFIG } from '@tongban/runtime';
import type { ApprovalConfig } from '../config/approval-config';
import { ApprovalStore } from '../store/approval-store';
import { CaseWorkflow } from '../workflow/case-workflow';

const BATCH = 50;

/**
 * Fires persisted SLA timers (电子监察). Every instance polls; each batch is claimed with
 * `FOR UPDATE SKIP LOCKED` on the timer and its case in one transaction that marks the timers
 * fired and writes their `case.sla` outbox rows, so a timer fires once across instances and a
 * restart loses none (an unfired timer is simply found by the next poll).
 */
@Injectable()
export class SlaTimerPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaTimerPoller.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: ApprovalStore,
    private readonly workflow: CaseWorkflow,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: ApprovalConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let fired = 0;
    try {
      do {
        fired = await this.fireDue();
      } while (fired === BATCH && !this.stopped);
    } catch (error) {
      this.logger.error({ msg: 'SLA timer poll failed; retrying at the next poll', err: error });
    } finally {
      this.schedule(this.config.SLA_TIMER_POLL_MS);
    }
  }

  /** Fires one batch of due timers; returns how many it claimed. */
  async fireDue(): Promise<number> {
    return this.store.transaction(async (unit) => {
      const due = await this.store.fireDueTimers(unit.manager, BATCH);
      for (const timer of due) {
        const file = await this.store.lockCase(unit.manager, timer.caseId);
        const decision = await this.workflow.apply(unit, file, {
          type: 'fire_timer',
          kind: timer.kind,
          routingId: timer.routingId,
          at: this.clock.now(),
        });
        if (decision.ok && !decision.ignored)
          this.logger.log({
            msg: `SLA ${timer.kind}`,
            caseId: timer.caseId,
            departments: decision.events.length,
          });
      }
      return due.length;
    });
  }
}
