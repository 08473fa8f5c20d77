import { randomUUID } from 'node:crypto';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { type Actor, AuditTrail, eventActor } from '@tongban/auth';
import { type Applicant, type CaseSnapshot, createEvent } from '@tongban/contracts';
import type { TransactionUnit } from '@tongban/messaging';
import { maskPhone, maskResidentId, PiiCipher } from '@tongban/pii';
import { Clock, invalidRequest } from '@tongban/runtime';
import { QueryFailedError } from 'typeorm';
import { CaseCatalogue } from './case-catalogue';
import { CaseStore } from './case-store';
import { requestHash, storedAnswer } from './idempotency-store';
import { IntakeMetrics } from './intake-metrics';
import { chinaDay, formatReceiptNumber } from './receipt-number';
import { sealAssistance, sealSnapshot } from './sealed-snapshot';
import { assessSubmission, materialFactsOf } from './submission-policy';
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
    private readonly store: CaseStore,
    private readonly audit: AuditTrail,
    private readonly cipher: PiiCipher,
    private readonly catalogue: CaseCatalogue,
    private readonly metrics: IntakeMetrics,
    private readonly clock: Clock,
  ) {}

  async submit(actor: Actor, input: SubmitCaseInput, idempotencyKey?: string): Promise<SubmittedCase> {
    if (actor.role !== 'office_staff') throw new ForbiddenException();
    const hash = requestHash(input);
    try {
      return await this.store.transaction((unit) => this.submitIn(unit, actor, input, idempotencyKey, hash));
    } catch (error) {
      // The same key committed by a concurrent request while this one ran: answer as it did.
      if (idempotencyKey && isUniqueViolation(error)) {
        const answer = storedAnswer<SubmittedCase>(
          await this.store.idempotencyKey(undefined, actor.sub, idempotencyKey),
          hash,
        );
        if (answer) return answer.body;
      }
      throw error;
    }
  }

  private async submitIn(
    { manager, publish, afterCommit }: TransactionUnit,
    actor: OfficeStaff,
    input: SubmitCaseInput,
    idempotencyKey: string | undefined,
    hash: string,
  ): Promise<SubmittedCase> {
    if (idempotencyKey) {
      const answer = storedAnswer<SubmittedCase>(
        await this.store.idempotencyKey(manager, actor.sub, idempotencyKey),
        hash,
      );
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
      materialFacts: materialFactsOf(input.applicant, office.district, this.clock.now()),
    });
    // Counted with every other 400 by field, in tongban_validation_failures_total.
    if (!assessment.accepted) throw invalidRequest(assessment.issues);

    const now = this.clock.now();
    const caseId = randomUUID();
    // The row lock serialises the office's submissions of the day; a rollback gives the number back.
    const day = chinaDay(now);
    const receiptNumber = formatReceiptNumber(
      office.id,
      day,
      await this.store.nextReceiptSequence(manager, office.id, day),
    );
    const supplementDueAt =
      assessment.supplementDays !== undefined
        ? this.catalogue.addWorkingDays(office.district, now, assessment.supplementDays)
        : undefined;
    const applicant = this.protect(input.applicant);
    const assistance = sealAssistance(input.assistance, this.cipher);
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
    await this.store.insert(manager, {
      id: caseId,
      receipt_number: receiptNumber,
      item_code: input.itemCode,
      office_id: office.id,
      office_district: office.district,
      applicant_kind: applicant.kind,
      applicant_name: applicant.kind === 'person' ? applicant.name : applicant.companyName,
      id_number_ciphertext: applicant.kind === 'person' ? applicant.idNumber.ciphertext : null,
      id_number_hash: applicant.kind === 'person' ? applicant.idNumber.hash : null,
      id_number_masked: applicant.kind === 'person' ? applicant.idNumber.masked : null,
      phone_ciphertext: applicant.phone.ciphertext,
      phone_hash: applicant.phone.hash,
      phone_masked: applicant.phone.masked,
      household_district: applicant.kind === 'person' ? applicant.householdDistrict : null,
      credit_code: applicant.kind === 'company' ? applicant.creditCode : null,
      registered_district: applicant.kind === 'company' ? applicant.registeredDistrict : null,
      snapshot,
      status: 'submitted',
      status_at: now,
      supplement_due_at: supplementDueAt ?? null,
      submitted_by: actor.sub,
      submitted_at: now,
      assistance,
    });
    await publish(
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
          assistance,
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
    if (idempotencyKey) {
      await this.store.storeIdempotencyKey(manager, {
        actor_sub: actor.sub,
        key: idempotencyKey,
        request_hash: hash,
        case_id: caseId,
        response: answer,
      });
    }
    afterCommit(() =>
      this.metrics.submitted.inc({ office: office.id, item: input.itemCode, channel: input.assistance.mode }),
    );
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
