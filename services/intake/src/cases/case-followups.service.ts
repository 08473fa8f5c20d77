import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, assertInScope, AuditTrail, eventActor } from '@tongban/auth';
import { type CaseSnapshot, createEvent } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { invalidRequest } from '@tongban/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { RateByLinkDto, RateCaseDto, SupplementCaseDto, TrackCaseDto } from './case-followups.dto';
import { ApplicantProofBudget } from './applicant-proof-budget';
import { CASE_COLUMNS, type CaseRow, officesOf } from './case-view';
import { IntakeMetrics } from './intake-metrics';

// A case can be rated once the applicant has the result, or the refusal.
const RATEABLE = ['delivered', 'collected', 'rejected'];

interface OpenRequest {
  request_id: string;
  department_id: string;
  round: number;
  items: { materialCode: string; materialName: string; reason: string }[];
}

/** What happens to a case after submission at the window: supplements, tracking, rating. */
@Injectable()
export class CaseFollowups {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly metrics: IntakeMetrics,
    private readonly proofs: ApplicantProofBudget,
  ) {}

  /** One try of the receipt's attempt budget, spent before the phone ending is compared. */
  private async spendProof(receipt: string): Promise<void> {
    const [row] = (await this.dataSource.query(`SELECT id FROM cases WHERE receipt_number = $1`, [
      receipt,
    ])) as { id: string }[];
    await this.proofs.spend(row ? { caseId: row.id } : { receipt });
  }

  /** 一次性告知 answered: every material of the open request must be in this one supplement. */
  async supplement(
    actor: Actor,
    caseId: string,
    dto: SupplementCaseDto,
  ): Promise<{ requestId: string; round: number }> {
    return this.dataSource.transaction(async (manager) => {
      const row = await lockCase(manager, 'id = $1', [caseId]);
      if (!row) throw new NotFoundException();
      assertInScope(actor, { officeId: officesOf(row) });
      const [request] = (await manager.query(
        `SELECT request_id, department_id, round, items FROM supplement_requests
          WHERE case_id = $1 AND answered_at IS NULL ORDER BY requested_at DESC LIMIT 1 FOR UPDATE`,
        [caseId],
      )) as OpenRequest[];
      if (!request) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: 'no supplement request is open for this case',
        });
      }
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
      await manager.query(`UPDATE supplement_requests SET answered_at = now() WHERE request_id = $1`, [
        request.request_id,
      ]);
      await manager.query(`UPDATE cases SET snapshot = $2, updated_at = now() WHERE id = $1`, [
        caseId,
        JSON.stringify(snapshot),
      ]);
      await appendToOutbox(
        manager,
        createEvent({
          type: 'case.supplemented',
          caseId,
          producer: 'intake',
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
    const row = await findByProof(this.dataSource.manager, proof.receipt, proof.phoneLast4, false);
    const stages = (await this.dataSource.query(
      `SELECT stage, occurred_at FROM case_timeline WHERE case_id = $1 ORDER BY occurred_at, id`,
      [row.id],
    )) as { stage: string; occurred_at: Date }[];
    return {
      receiptNumber: row.receipt_number,
      itemCode: row.item_code,
      status: row.status,
      submittedAt: row.submitted_at.toISOString(),
      dueAt: row.sla_due_at?.toISOString() ?? null,
      delivery: row.snapshot.delivery.method,
      stages: stages.map((stage) => ({ stage: stage.stage, at: stage.occurred_at.toISOString() })),
    };
  }

  /** 好差评: once per case, after completion; feeds the operators' satisfaction dashboards. */
  async rate(dto: RateCaseDto): Promise<{ caseId: string; score: number }> {
    await this.spendProof(dto.receipt);
    return this.rateOnce((manager) => findByProof(manager, dto.receipt, dto.phoneLast4, true), dto);
  }

  /**
   * The same through the signed link of the "delivered/collected" text: the link names the case,
   * and it works once, because a case takes one rating.
   */
  async rateByLink(caseId: string, dto: RateByLinkDto): Promise<{ score: number }> {
    const { score } = await this.rateOnce(
      async (manager) => {
        const row = await lockCase(manager, 'id = $1', [caseId]);
        if (!row) throw new NotFoundException();
        return row;
      },
      { ...dto, channel: 'sms' },
    );
    return { score };
  }

  /** What the rating link's page shows before the applicant rates: no personal data. */
  async linkView(caseId: string) {
    const [row] = (await this.dataSource.query(
      `SELECT c.receipt_number, c.item_code, c.status, r.case_id IS NOT NULL AS rated
         FROM cases c LEFT JOIN ratings r ON r.case_id = c.id WHERE c.id = $1`,
      [caseId],
    )) as { receipt_number: string; item_code: string; status: string; rated: boolean }[];
    if (!row) throw new NotFoundException();
    return {
      receiptNumber: row.receipt_number,
      itemCode: row.item_code,
      status: row.status,
      rated: row.rated,
      rateable: !row.rated && RATEABLE.includes(row.status),
    };
  }

  private async rateOnce(
    find: (manager: EntityManager) => Promise<CaseRow>,
    dto: Pick<RateCaseDto, 'score' | 'comment' | 'tags' | 'channel'>,
  ): Promise<{ caseId: string; score: number }> {
    const { officeId, caseId } = await this.dataSource.transaction(async (manager) => {
      const row = await find(manager);
      if (!RATEABLE.includes(row.status)) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: 'a case can be rated once it is completed',
        });
      }
      const ratedAt = new Date();
      const inserted = (await manager.query(
        `INSERT INTO ratings (case_id, score, comment, tags, channel, office_id, rated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
        [row.id, dto.score, dto.comment ?? null, dto.tags, dto.channel, row.office_id, ratedAt],
      )) as unknown[];
      if (inserted.length === 0) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: 'this case has already been rated',
        });
      }
      await appendToOutbox(
        manager,
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
      return { officeId: row.office_id, caseId: row.id };
    });
    this.metrics.ratings.inc({ office: officeId, score: String(dto.score) });
    return { caseId, score: dto.score };
  }
}

async function lockCase(
  manager: EntityManager,
  where: string,
  values: unknown[],
): Promise<CaseRow | undefined> {
  const [row] = (await manager.query(
    `SELECT ${CASE_COLUMNS} FROM cases WHERE ${where} FOR UPDATE`,
    values,
  )) as CaseRow[];
  return row;
}

/** A wrong receipt and a wrong phone ending answer alike, so neither can be probed. */
async function findByProof(
  manager: EntityManager,
  receipt: string,
  phoneLast4: string,
  lock: boolean,
): Promise<CaseRow> {
  const [row] = (await manager.query(
    `SELECT ${CASE_COLUMNS} FROM cases WHERE receipt_number = $1 AND right(phone_masked, 4) = $2${lock ? ' FOR UPDATE' : ''}`,
    [receipt, phoneLast4],
  )) as CaseRow[];
  if (!row)
    throw new NotFoundException({
      statusCode: 404,
      error: 'Not Found',
      message: 'no case with this receipt and phone',
    });
  return row;
}
