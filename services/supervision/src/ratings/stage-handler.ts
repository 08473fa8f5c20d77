import type { RatingStage } from '@tongban/contracts';
import type { CaseFactRow } from '../database/supervision-tables';

/** Who and where a stage was handled: what its rating is against and who owns a 差评's rectification. */
export interface StageHandler {
  readonly officeId: string;
  readonly district: string;
  readonly itemCode: string;
  readonly departmentId: string | null;
  /** The staff member; null when no person handled it (秒批, a system decision). */
  readonly staffSub: string | null;
  readonly staffRole: string;
  readonly courierId: string | null;
}

export type StageAnswer =
  { readonly ok: true; readonly handler: StageHandler } | { readonly ok: false; readonly reason: string };

/**
 * The handler of a stage, from the case's facts, or why the case cannot be rated for it: a case
 * is rated only for a stage it went through (acceptance once accepted, decision once decided,
 * handover once the result was handed over or collected).
 */
export function stageHandler(facts: CaseFactRow, stage: RatingStage): StageAnswer {
  const officeId = facts.accepting_office_id;
  const district = facts.accepting_district;
  const itemCode = facts.item_code;
  if (!officeId || !district || !itemCode)
    return { ok: false, reason: 'the case’s acceptance is not known to supervision yet' };
  const departmentId = facts.decision_department_id ?? facts.department_id;
  const base = { officeId, district, itemCode, departmentId, courierId: null };
  switch (stage) {
    case 'acceptance':
      if (!facts.accepted_at) return { ok: false, reason: 'the case’s acceptance is not known yet' };
      return { ok: true, handler: { ...base, staffSub: facts.accepted_by, staffRole: 'office_staff' } };
    case 'decision':
      if (!facts.decided_at) return { ok: false, reason: 'the case has not been decided' };
      return {
        ok: true,
        handler: {
          ...base,
          staffSub: facts.decision_origin === 'reviewer' ? facts.decided_by : null,
          staffRole: facts.decision_origin === 'reviewer' ? 'reviewer' : 'system',
        },
      };
    case 'handover':
      if (!facts.handed_over_at) return { ok: false, reason: 'the result has not been handed over' };
      return {
        ok: true,
        handler: {
          ...base,
          officeId: facts.handover_office_id ?? officeId,
          staffSub: facts.handed_over_by,
          staffRole: facts.handover_role ?? 'office_staff',
          courierId: facts.handover_courier_id,
        },
      };
  }
}
