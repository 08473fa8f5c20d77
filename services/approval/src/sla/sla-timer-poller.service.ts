import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SlaEventKind, TongbanEvent } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { SERVICE_CONFIG } from '@tongban/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { ApprovalConfig } from '../config/approval-config';
import { PendingMetrics } from '../metrics/approval-metrics';
import { CASE_COLUMNS, CaseWorkflow } from '../work/case-workflow';
import type { CaseRow } from '../work/work-rows';
import type { SlaTimerKind } from './sla-clock';

const BATCH = 50;

interface DueTimer {
  id: string;
  case_id: string;
  routing_id: string;
  kind: SlaTimerKind;
}

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: CaseWorkflow,
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
    const pending = new PendingMetrics();
    const claimed = await this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT t.id, t.case_id, t.routing_id, t.kind
           FROM sla_timers t JOIN approval_cases c ON c.case_id = t.case_id
          WHERE t.state = 'pending' AND t.fire_at <= now()
          ORDER BY t.fire_at, t.id
          LIMIT ${BATCH}
            FOR UPDATE OF t, c SKIP LOCKED`,
      )) as DueTimer[];
      for (const timer of due) {
        await manager.query(
          `UPDATE sla_timers SET state = 'fired', fired_at = now(), updated_at = now() WHERE id = $1`,
          [timer.id],
        );
        const [caseRow] = (await manager.query(
          `SELECT ${CASE_COLUMNS} FROM approval_cases WHERE case_id = $1`,
          [timer.case_id],
        )) as CaseRow[];
        if (!caseRow || caseRow.state !== 'in_review' || caseRow.routing_id !== timer.routing_id) continue;
        const events = await this.fire(manager, caseRow, timer.kind, pending);
        await appendToOutbox(manager, events);
        this.logger.log({ msg: `SLA ${timer.kind}`, caseId: timer.case_id, departments: events.length });
      }
      return due.length;
    });
    pending.apply();
    return claimed;
  }

  /** One `case.sla` per department still working on the case; escalation marks their items. */
  private async fire(
    manager: EntityManager,
    caseRow: CaseRow,
    kind: SlaTimerKind,
    pending: PendingMetrics,
  ): Promise<TongbanEvent[]> {
    const departments = (await manager.query(
      `UPDATE work_items SET escalated_at = CASE WHEN $3 THEN now() ELSE escalated_at END,
              version = version + CASE WHEN $3 THEN 1 ELSE 0 END
        WHERE case_id = $1 AND routing_id = $2 AND state IN ('open', 'supplement_requested')
        RETURNING department_id, role`,
      [caseRow.case_id, caseRow.routing_id, kind === 'escalated'],
    )) as [{ department_id: string; role: string }[], number];
    const now = new Date();
    const clock = this.workflow.clockState(caseRow);
    return departments[0]
      .sort((a, b) =>
        a.role === b.role ? a.department_id.localeCompare(b.department_id) : a.role === 'primary' ? -1 : 1,
      )
      .map((row) =>
        this.workflow.slaEvent(caseRow, clock, kind as SlaEventKind, row.department_id, now, pending),
      );
  }
}
