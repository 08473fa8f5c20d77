import { Injectable, Logger } from '@nestjs/common';
import { type ApplicantFacts, ReferenceData } from '@tongban/reference-data';
import type { ItemRules } from './submission-policy';

export interface OfficeFacts {
  readonly id: string;
  readonly district: string;
  readonly pickupWindow: boolean;
}

/** Intake's view of the reference data: offices, items, acceptance scope, working days. */
@Injectable()
export class CaseCatalogue {
  constructor(private readonly data: ReferenceData) {
    // Which catalogue answered is part of every acceptance decision; the log says which it was.
    new Logger(CaseCatalogue.name).log({ msg: 'reference data loaded', version: this.data.versionLabel() });
  }

  office(id: string): OfficeFacts | undefined {
    return this.data.office(id);
  }

  item(code: string): ItemRules | undefined {
    return this.data.item(code);
  }

  /** 一窗受理 scope for this applicant: the office may accept the item, or the reason it may not. */
  acceptance(
    officeId: string,
    itemCode: string,
    applicant: ApplicantFacts,
  ): { ok: true } | { ok: false; reason: string } {
    const result = this.data.acceptanceCheck(officeId, itemCode, applicant);
    return result.ok ? { ok: true } : { ok: false, reason: `${result.reason}: ${result.message}` };
  }

  /** 容缺 supplement deadline: N working days on the accepting district's calendar. */
  addWorkingDays(district: string, from: Date, days: number): Date {
    return this.data.calendar(district).addWorkingDays(from, days);
  }
}
