import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { type Actor, assertInScope, AuditTrail, eventActor } from '@tongban/auth';
import { type CaseSnapshot, createEvent } from '@tongban/contracts';
import type { Queryable } from '@tongban/database';
import { Clock, invalidRequest } from '@tongban/runtime';
import type { RateByLinkDto, RateCaseDto, SupplementCaseDto, TrackCaseDto } from './case-followups.dto';
import { ApplicantProofBudget } from './applicant-proof-budget';
import { CaseStore } from './case-store';
import { type CaseRow, officesOf } from './case-view';
import { IntakeMetrics } from './intake-metrics';
import { type RongqueHandIn, RongqueService } from './rongque.service';

// A case can be rated once the applicant has the result, or the refusal.
const RATEABLE = ['delivered', 'collected', 'rejected'];

/** What happens to a case after submission at the window: supplements, tracking, rating. */
@Injectable()
export class CaseFollowups {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditTrail,
    private readonly metrics: IntakeMetrics,
    private readonly proofs: ApplicantProofBudget,
    private readonly clock: Clock,
    private readonly rongque: RongqueService,
  ) {}

  /** One try of the receipt's attempt budget, spent before the phone ending is compared. */
  private async spendProof(receipt: string): Promise<void> {
    const caseId = await this.store.caseIdOfReceipt(receipt);
    await this.proofs.spend(caseId ? { caseId } : { receipt });
  }

  /** 一次性告知 answered: every material of the open request must be in this one supplement. */
  async supplement(
    actor: Actor,
    caseId: string,
    dto: SupplementCaseDto,
  ): Promise<{ requestId: string; round: number } | RongqueHandIn> {
    return this.store.transaction(async (unit) => {
      const { manager } = unit;
      const row = await this.store.lock(manager, caseId);
      if (!row) throw new NotFoundException();
      assertInScope(actor, { officeId: officesOf(row) });
      const request = await this.store.lockOpenRequest(manager, caseId);
      // No reviewer asked: the window hands in outstanding 容缺 materials on its own.
      if (!request) return this.rongque.handIn(unit, actor, row, dto);
      const provided = new Set(dto.materials.map((material) => material.code));
      const missing = request.items.filter((item) => !provided.has(item.materialCode));
      if (missing.length > 0) {
        throw invalidRequest(
          missing.map((item) => ({
            field: 'materials',
            reason: `must include ${item.materialCode} (${item.materialName}), requested in round ${request.round}`,
          })),
        );
      }
      const snapshot: CaseSnapshot = {
        ...row.snapshot,
        materials: [...row.snapshot.materials.filter((m) => !provided.has(m.code)), ...dto.materials],
        missingMaterials: row.snapshot.missingMaterials.filter((code) => !provided.has(code)),
      };
      await this.store.answerRequest(manager, request.request_id);
      await this.store.setSnapshot(manager, caseId, snapshot);
      await unit.publish(
        createEvent({
          type: 'case.supplemented',
          caseId,
          producer: 'intake',
          occurredAt: this.clock.now(),
          payload: {
            requestId: request.request_id,
            departmentId: request.department_id,
            round: request.round,
            materials: dto.materials,
            supplementedBy: eventActor(actor),
          },
        }),
      );
      await this.audit.record(manager, {
        actor,
        action: 'case.supplement',
        objectType: 'case',
        objectId: caseId,
        result: 'succeeded',
        detail: { requestId: request.request_id, round: request.round, materials: [...provided] },
      });
      return { requestId: request.request_id, round: request.round };
    });
  }

  /** The applicant's own lookup: the receipt plus the phone's last four digits, minimal data back. */
  async track(proof: TrackCaseDto) {
    await this.spendProof(proof.receipt);
    const row = await this.findByProof(proof.receipt, proof.phoneLast4);
    const stages = await this.store.timeline(row.id);
    return {
      receiptNumber: row.receipt_number,
      itemCode: row.item_code,
      status: row.status,
      submittedAt: row.submitted_at.toISOString(),
      dueAt: row.sla_due_at?.toISOString() ?? null,
      // 承诺时限: the date the office promised, what the applicant holds it to.
      promisedDueAt: row.promised_due_at?.toISOString() ?? null,
      delivery: row.snapshot.delivery.method,
      stages: stages.map((stage) => ({ stage: stage.stage, at: stage.occurred_at.toISOString() })),
    };
  }

  /** 好差评: once per case, after completion; feeds the operators' satisfaction dashboards. */
  async rate(dto: RateCaseDto): Promise<{ caseId: string; score: number }> {
    await this.spendProof(dto.receipt);
    return this.rateOnce((manager) => this.findByProof(dto.receipt, dto.phoneLast4, manager), dto);
  }

  /**
   * The same through the signed link of the "delivered/collected" text: the link names the case,
   * and it works once, because a case takes one rating.
   */
  async rateByLink(caseId: string, dto: RateByLinkDto): Promise<{ score: number }> {
    const { score } = await this.rateOnce(
      async (manager) => {
        const row = await this.store.lock(manager, caseId);
        if (!row) throw new NotFoundException();
        return row;
      },
      { ...dto, channel: 'sms' },
    );
    return { score };
  }

  /** What the rating link's page shows before the applicant rates: no personal data. */
  async linkView(caseId: string) {
    const row = await this.store.find(caseId);
    if (!row) throw new NotFoundException();
    const rated = await this.store.isRated(caseId);
    return {
      receiptNumber: row.receipt_number,
      itemCode: row.item_code,
      status: row.status,
      rated,
      rateable: !rated && RATEABLE.includes(row.status),
    };
  }

  private rateOnce(
    find: (manager: Queryable) => Promise<CaseRow>,
    dto: Pick<RateCaseDto, 'score' | 'comment' | 'tags' | 'channel'>,
  ): Promise<{ caseId: string; score: number }> {
    return this.store.transaction(async (unit) => {
      const { manager } = unit;
      const row = await find(manager);
      if (!RATEABLE.includes(row.status)) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: 'a case can be rated once it is completed',
        });
      }
      const ratedAt = this.clock.now();
      const rated = await this.store.addRating(manager, {
        case_id: row.id,
        score: dto.score,
        comment: dto.comment ?? null,
        tags: dto.tags,
        channel: dto.channel,
        office_id: row.office_id,
        rated_at: ratedAt,
      });
      if (!rated) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: 'this case has already been rated',
        });
      }
      await unit.publish(
        createEvent({
          type: 'case.rated',
          caseId: row.id,
          producer: 'intake',
          occurredAt: ratedAt,
          payload: {
            score: dto.score,
            comment: dto.comment,
            channel: dto.channel,
            officeId: row.office_id,
            ratedAt: ratedAt.toISOString(),
          },
        }),
      );
      unit.afterCommit(() => this.metrics.ratings.inc({ office: row.office_id, score: String(dto.score) }));
      return { caseId: row.id, score: dto.score };
    });
  }

  /** A wrong receipt and a wrong phone ending answer alike, so neither can be probed. */
  private async findByProof(receipt: string, phoneLast4: string, lockIn?: Queryable): Promise<CaseRow> {
    const row = await this.store.findByProof(receipt, phoneLast4, lockIn);
    if (!row)
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        message: 'no case with this receipt and phone',
      });
    return row;
  }
}
