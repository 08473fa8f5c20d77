import { randomUUID } from 'node:crypto';
import { HttpException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { type Actor, AuditTrail } from '@tongban/auth';
import type { EventOf, RatingChannel, RatingStage, SatisfactionLevel } from '@tongban/contracts';
import type { TransactionUnit } from '@tongban/messaging';
import { ReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { CaseFactStore } from '../cases/case-fact-store';
import { RECTIFICATION_POLICY, type RectificationPolicy } from '../config/supervision-config';
import type { CaseFactRow, RatingRow } from '../database/supervision-tables';
import { SupervisionMetrics } from '../metrics/supervision-metrics';
import { RatingStore } from './rating-store';
import { isBadRating, levelOfScore } from './satisfaction';
import { stageHandler } from './stage-handler';

export interface RatingInput {
  readonly stage: RatingStage;
  readonly level: SatisfactionLevel;
  readonly comment?: string;
  readonly channel: RatingChannel;
}

export interface RatingAnswer {
  readonly ratingId: string;
  readonly caseId: string;
  readonly stage: RatingStage;
  readonly level: SatisfactionLevel;
  /** The rectification a 差评 opened, with its due instant. */
  readonly rectification: { readonly id: string; readonly dueAt: string } | null;
}

/** A rating refused for what it says about the case: 409 naming the field and the reason. */
function refused(field: string, reason: string): HttpException {
  return new HttpException(
    { statusCode: 409, error: 'Conflict', message: `${field}: ${reason}`, issues: [{ field, reason }] },
    409,
  );
}

const NOT_FOUND = {
  statusCode: 404,
  error: 'Not Found',
  message: 'no completed case matches this receipt and phone',
};

/**
 * 好差评 as the national scheme runs it: one rating per case and stage, against the office, item,
 * department and staff member of that stage; each 差评 opens a rectification owned by that staff
 * member, due within the configured working days on the office's calendar.
 */
@Injectable()
export class RatingService {
  private readonly logger = new Logger(RatingService.name);

  constructor(
    private readonly store: RatingStore,
    private readonly facts: CaseFactStore,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
    private readonly metrics: SupervisionMetrics,
    private readonly audit: AuditTrail,
    @Inject(RECTIFICATION_POLICY) private readonly policy: RectificationPolicy,
  ) {}

  /** The applicant, proved by the receipt number and the phone ending (a wrong one answers alike). */
  rateByApplicant(receipt: string, phoneLast4: string, input: RatingInput): Promise<RatingAnswer> {
    return this.store.transaction(async (unit) => {
      const facts = await this.facts.findByProof(receipt, phoneLast4, unit.manager);
      if (!facts) throw new NotFoundException(NOT_FOUND);
      return this.record(unit, facts, input);
    });
  }

  /** At the window's rating pad (评价器): a case the staff member's office accepted or handed over. */
  rateAtWindow(actor: Actor, caseId: string, input: RatingInput): Promise<RatingAnswer> {
    return this.store.transaction(async (unit) => {
      const facts = await this.facts.lock(caseId, unit.manager);
      const officeId = actor.role === 'office_staff' ? actor.officeId : null;
      if (!facts || (facts.accepting_office_id !== officeId && facts.handover_office_id !== officeId))
        throw new NotFoundException();
      const answer = await this.record(unit, facts, input);
      await this.audit.record(unit.manager, {
        actor,
        action: 'rating.record',
        objectType: 'rating',
        objectId: answer.ratingId,
        result: 'succeeded',
        detail: { caseId, stage: input.stage, level: input.level },
      });
      return answer;
    });
  }

  /**
   * Intake's one rating per case (its applicant page and the text message's link) rates the last
   * stage the case went through: the handover, or the decision of a rejected case not handed
   * over. Intake takes it only then, but the events saying so travel on other topics and may not
   * be here yet: the rating is held until they are (`settleIntakeRating`).
   */
  async fromIntake(unit: TransactionUnit, event: EventOf<'case.rated'>): Promise<void> {
    await this.store.holdIntakeRating(unit.manager, {
      case_id: event.caseId,
      score: event.payload.score,
      comment: event.payload.comment ?? null,
      channel: event.payload.channel,
      rated_at: new Date(event.payload.ratedAt),
    });
    await this.settleIntakeRating(unit, event.caseId);
  }

  /** Records a held intake rating once the case's facts tell its stage; a stage already rated keeps its rating. */
  async settleIntakeRating(unit: TransactionUnit, caseId: string): Promise<void> {
    const facts = await this.facts.lock(caseId, unit.manager);
    if (!facts || (!facts.handed_over_at && facts.outcome !== 'rejected')) return;
    const held = await this.store.takeIntakeRating(unit.manager, caseId);
    if (!held) return;
    const stage: RatingStage = facts.handed_over_at ? 'handover' : 'decision';
    try {
      await this.record(
        unit,
        facts,
        { stage, level: levelOfScore(held.score), comment: held.comment ?? undefined, channel: held.channel },
        held.rated_at,
      );
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      this.logger.warn({ msg: 'intake rating not recorded', caseId, stage, reason: error.message });
    }
  }

  private async record(
    unit: TransactionUnit,
    facts: CaseFactRow,
    input: RatingInput,
    ratedAt: Date = this.clock.now(),
  ): Promise<RatingAnswer> {
    const answer = stageHandler(facts, input.stage);
    if (!answer.ok) throw refused('stage', answer.reason);
    const { handler } = answer;
    const rating: RatingRow = {
      id: randomUUID(),
      case_id: facts.case_id,
      stage: input.stage,
      level: input.level,
      comment: input.comment ?? null,
      channel: input.channel,
      item_code: handler.itemCode,
      office_id: handler.officeId,
      district: handler.district,
      department_id: handler.departmentId,
      staff_sub: handler.staffSub,
      staff_role: handler.staffRole,
      courier_id: handler.courierId,
      rated_at: ratedAt,
      withdrawn_at: null,
    };
    if (!(await this.store.addRating(unit.manager, rating)))
      throw refused('stage', `the case has already been rated for its ${input.stage}`);
    let rectification: RatingAnswer['rectification'] = null;
    if (isBadRating(input.level)) {
      const id = randomUUID();
      const dueAt = this.calendarOf(handler.officeId, handler.district).addWorkingDays(
        ratedAt,
        this.policy.workingDays,
      );
      await this.store.addRectification(unit.manager, {
        id,
        rating_id: rating.id,
        case_id: facts.case_id,
        stage: input.stage,
        state: 'open',
        office_id: handler.officeId,
        department_id: handler.departmentId,
        courier_id: handler.courierId,
        owner_sub: handler.staffSub,
        owner_role: handler.staffRole,
        opened_at: ratedAt,
        due_at: dueAt,
        visited_at: null,
        visit_note: null,
        verified_at: null,
        verification_note: null,
        rectified_at: null,
        rectification: null,
        rectification_note: null,
        appealed_at: null,
        appeal_reason: null,
        appeal_decision: null,
        appeal_decided_at: null,
        appeal_decided_by: null,
        appeal_note: null,
        closed_at: null,
      });
      rectification = { id, dueAt: dueAt.toISOString() };
    }
    unit.afterCommit(() =>
      this.metrics.ratings.inc({ stage: input.stage, level: input.level, channel: input.channel }),
    );
    return {
      ratingId: rating.id,
      caseId: facts.case_id,
      stage: input.stage,
      level: input.level,
      rectification,
    };
  }

  /** The office's district calendar (its city's where the district has none of its own). */
  private calendarOf(officeId: string, district: string) {
    return this.reference.calendar(this.reference.office(officeId)?.district ?? district);
  }
}
