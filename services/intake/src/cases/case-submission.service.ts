import { randomUUID } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, AuditTrail, eventActor } from '@tongban/auth';
import { type Applicant, type CaseSnapshot, createEvent } from '@tongban/contracts';
import { appendToOutbox } from '@tongban/messaging';
import { maskPhone, maskResidentId, PiiCipher } from '@tongban/pii';
import { invalidRequest } from '@tongban/runtime';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { CaseCatalogue } from './case-catalogue';
import { findAnswer, requestHash, storeAnswer } from './idempotency-store';
import { IntakeMetrics } from './intake-metrics';
import { allocateReceiptNumber } from './receipt-number';
import { sealAssistance, sealSnapshot } from './sealed-snapshot';
import { assessSubmission } from './submission-policy';
import type { SubmitCaseInput } from './submit-case.dto';

export interface SubmittedCase {
  readonly caseId: string;
  readonly receiptNumber: string;
  readonly status: 'submitted';
  readonly missingMaterials: string[];
  readonly supplementDueAt: string | null;
}

type OfficeStaff = Extract<Actor, { role: 'office_staff' }>;

const UNIQUE_VIOLATION = '23505';

/**
 * 一窗受理: accepts a case at the caller's office. The case, its `case.submitted` outbox row,
 * the audit entry and the idempotency answer commit in one transaction, so a 201 is never lost
 * and a retried POST with the same Idempotency-Key gets the first answer.
 */
@Injectable()
export class CaseSubmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly cipher: PiiCipher,
    private readonly catalogue: CaseCatalogue,
    private readonly metrics: IntakeMetrics,
  ) {}

  async submit(actor: Actor, input: SubmitCaseInput, idempotencyKey?: string): Promise<SubmittedCase> {
    if (actor.role !== 'office_staff') throw new ForbiddenException();
    const hash = requestHash(input);
    try {
      return await this.dataSource.transaction((manager) =>
        this.submitIn(manager, actor, input, idempotencyKey, hash),
      );
    } catch (error) {
      // The same key committed by a concurrent request while this one ran: answer as it did.
      if (idempotencyKey && isUniqueViolation(error)) {
        const answer = await findAnswer<SubmittedCase>(
          this.dataSource.manager,
          actor.sub,
          idempotencyKey,
          hash,
        );
        if (answer) return answer.body;
      }
      throw error;
    }
  }

  private async submitIn(
    manager: EntityManager,
    actor: OfficeStaff,
    input: SubmitCaseInput,
    idempotencyKey: string | undefined,
    hash: string,
  ): Promise<SubmittedCase> {
    if (idempotencyKey) {
      const answer = await findAnswer<SubmittedCase>(manager, actor.sub, idempotencyKey, hash);
      if (answer) return answer.body;
    }
    const office = this.catalogue.office(actor.officeId);
    if (!office)
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `office ${actor.officeId} is not in the reference data`,
      });
    const assessment = assessSubmission(input, {
      item: this.catalogue.item(input.itemCode),
      acceptance: this.catalogue.acceptance(office.id, input.itemCode, input.applicant),
      pickupOffice:
        input.delivery.method === 'pickup' ? this.catalogue.office(input.delivery.officeId) : undefined,
    });
    // Counted with every other 400 by field, in tongban_validation_failures_total.
    if (!assessment.accepted) throw invalidRequest(assessment.issues);

    const now = new Date();
    const caseId = randomUUID();
    const receiptNumber = await allocateReceiptNumber(manager, office.id, now);
    const supplementDueAt =
      assessment.supplementDays !== undefined
        ? this.catalogue.addWorkingDays(office.district, now, assessment.supplementDays)
        : undefined;
    const applicant = this.protect(input.applicant);
    const snapshot: CaseSnapshot = {
      receiptNumber,
      itemCode: input.itemCode,
      acceptingOfficeId: office.id,
      acceptingDistrict: office.district,
      applicant,
      materials: input.materials,
      missingMaterials: assessment.missingMaterials,
      supplementDueAt: supplementDueAt?.toISOString(),
      delivery: input.delivery,
    };
    await manager.query(
      `INSERT INTO cases (id, receipt_number, item_code, office_id, office_district, applicant_kind, applicant_name,
         id_number_ciphertext, id_number_hash, id_number_masked, phone_ciphertext, phone_hash, phone_masked,
         household_district, credit_code, registered_district, snapshot, status, status_at, supplement_due_at,
         submitted_by, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'submitted', $18, $19, $20, $18)`,
      [
        caseId,
        receiptNumber,
        input.itemCode,
        office.id,
        office.district,
        applicant.kind,
        applicant.kind === 'person' ? applicant.name : applicant.companyName,
        applicant.kind === 'person' ? applicant.idNumber.ciphertext : null,
        applicant.kind === 'person' ? applicant.idNumber.hash : null,
        applicant.kind === 'person' ? applicant.idNumber.masked : null,
        applicant.phone.ciphertext,
        applicant.phone.hash,
        applicant.phone.masked,
        applicant.kind === 'person' ? applicant.householdDistrict : null,
        applicant.kind === 'company' ? applicant.creditCode : null,
        applicant.kind === 'company' ? applicant.registeredDistrict : null,
        JSON.stringify(snapshot),
        now,
        supplementDueAt ?? null,
        actor.sub,
      ],
    );
    await appendToOutbox(
      manager,
      createEvent({
        type: 'case.submitted',
        caseId,
        producer: 'intake',
        occurredAt: now,
        payload: {
          ...sealSnapshot(
            snapshot,
            input.applicant.kind === 'person' ? input.applicant.idNumber : undefined,
            this.cipher,
            now,
          ),
          submittedBy: eventActor(actor),
          assistance: sealAssistance(input.assistance, this.cipher),
        },
      }),
    );
    await this.audit.record(manager, {
      actor,
      action: 'case.submit',
      objectType: 'case',
      objectId: caseId,
      result: 'succeeded',
      detail: { itemCode: input.itemCode, receiptNumber, missingMaterials: assessment.missingMaterials },
    });
    const answer: SubmittedCase = {
      caseId,
      receiptNumber,
      status: 'submitted',
      missingMaterials: assessment.missingMaterials,
      supplementDueAt: supplementDueAt?.toISOString() ?? null,
    };
    if (idempotencyKey) await storeAnswer(manager, actor.sub, idempotencyKey, hash, { caseId, body: answer });
    this.metrics.submitted.inc({ office: office.id, item: input.itemCode, channel: input.assistance.mode });
    return answer;
  }

  /** The clear ID and phone numbers stop here: encrypted, hashed for lookup, masked for display. */
  private protect(applicant: SubmitCaseInput['applicant']): Applicant {
    const phone = {
      ciphertext: this.cipher.encrypt(applicant.phone),
      hash: this.cipher.hashPhone(applicant.phone),
      masked: maskPhone(applicant.phone),
    };
    if (applicant.kind === 'company') return { ...applicant, phone };
    return {
      kind: 'person',
      name: applicant.name,
      householdDistrict: applicant.householdDistrict,
      idNumber: {
        ciphertext: this.cipher.encrypt(applicant.idNumber),
        hash: this.cipher.hashResidentId(applicant.idNumber),
        masked: maskResidentId(applicant.idNumber),
      },
      phone,
    };
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
  );
}
