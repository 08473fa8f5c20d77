import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type Actor, AuditTrail, eventActor } from '@tongban/auth';
import { type CaseSnapshot, createEvent } from '@tongban/contracts';
import type { TransactionUnit } from '@tongban/messaging';
import { Clock, invalidRequest } from '@tongban/runtime';
import { RONGQUE_TIMER_SETTINGS, type RongqueTimerSettings } from '../config/intake-config';
import type { SupplementCaseDto } from './case-followups.dto';
import { CaseStore } from './case-store';
import type { CaseRow } from './case-view';
import { assessHandIn } from './rongque';

export interface RongqueHandIn {
  readonly handedIn: string[];
  readonly outstanding: string[];
  readonly supplementDueAt: string | null;
}

/**
 * 容缺后补: the window hands in outstanding materials without a reviewer's request, and the
 * deadline is a persisted timer. The expiry is recorded on the case row in the transaction that
 * publishes it, under `FOR UPDATE SKIP LOCKED`, so it fires once across restarts and instances.
 */
@Injectable()
export class RongqueService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RongqueService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(RONGQUE_TIMER_SETTINGS) private readonly settings: RongqueTimerSettings,
  ) {}

  async handIn(
    unit: TransactionUnit,
    actor: Actor,
    row: CaseRow,
    dto: SupplementCaseDto,
  ): Promise<RongqueHandIn> {
    const assessment = assessHandIn(row.snapshot.missingMaterials, dto.materials);
    if (!assessment.ok) {
      if ('conflict' in assessment)
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: assessment.conflict });
      throw invalidRequest(assessment.issues);
    }
    const handed = new Set(assessment.handedIn);
    const snapshot: CaseSnapshot = {
      ...row.snapshot,
      materials: [...row.snapshot.materials.filter((m) => !handed.has(m.code)), ...dto.materials],
      missingMaterials: assessment.outstanding,
    };
    await this.store.setSnapshot(unit.manager, row.id, snapshot);
    const dueAt = row.supplement_due_at ?? this.clock.now();
    await unit.publish(
      createEvent({
        type: 'case.rongque',
        caseId: row.id,
        producer: 'intake',
        occurredAt: this.clock.now(),
        payload: {
          kind: 'handed_in',
          officeId: row.office_id,
          materials: assessment.handedIn,
          outstanding: assessment.outstanding,
          dueAt: dueAt.toISOString(),
          by: eventActor(actor),
        },
      }),
    );
    await this.audit.record(unit.manager, {
      actor,
      action: 'case.rongque-hand-in',
      objectType: 'case',
      objectId: row.id,
      result: 'succeeded',
      detail: { materials: assessment.handedIn, outstanding: assessment.outstanding },
    });
    return {
      handedIn: assessment.handedIn,
      outstanding: assessment.outstanding,
      supplementDueAt: row.supplement_due_at?.toISOString() ?? null,
    };
  }

  private timerEvent(kind: 'reminder' | 'expired', row: CaseRow, now: Date) {
    return createEvent({
      type: 'case.rongque',
      caseId: row.id,
      producer: 'intake',
      occurredAt: now,
      payload: {
        kind,
        officeId: row.office_id,
        materials: [],
        outstanding: row.snapshot.missingMaterials,
        // The queries select only cases with a deadline; `now` keeps the type honest.
        dueAt: (row.supplement_due_at ?? now).toISOString(),
      },
    });
  }

  /** Fires the reminder of every near 容缺 deadline and the expiry of every passed one; the number fired. */
  fireDue(): Promise<number> {
    this.running ??= this.store
      .transaction(async (unit) => {
        const now = this.clock.now();
        const near = await this.store.lockRongqueToRemind(
          unit.manager,
          now,
          new Date(now.getTime() + this.settings.reminderMs),
          this.settings.batchSize,
        );
        for (const row of near) {
          await this.store.markRongqueReminded(unit.manager, row.id, now);
          await unit.publish(this.timerEvent('reminder', row, now));
        }
        const due = await this.store.lockExpiredRongque(unit.manager, now, this.settings.batchSize);
        for (const row of due) {
          await this.store.markRongqueExpired(unit.manager, row.id, now);
          await unit.publish(this.timerEvent('expired', row, now));
        }
        return near.length + due.length;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.fireDue().catch((error: unknown) =>
        this.logger.warn({ msg: '容缺 expiry timer failed; retried at the next tick', error: String(error) }),
      );
    }, this.settings.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
