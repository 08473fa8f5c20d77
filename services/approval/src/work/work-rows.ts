import type { AnyCaseSnapshot, Actor as EventActor, DecisionOrigin } from '@tongban/contracts';
import type { EvaluatedCheck } from '../auto/auto-approval';
import type { ClockState } from '../sla/sla-clock';
import type { DepartmentDecision, DepartmentPart, WorkItemState } from './parallel-join';

export type CaseState = 'in_review' | 'approved' | 'rejected' | 'withdrawn';

/** A result document (办件结果) as issued with an approval, with the reviewer's metadata. */
export interface ResultDocument {
  readonly number: string;
  readonly title: string;
  readonly departmentId: string;
  readonly issuedAt: string;
  readonly validUntil?: string;
  readonly remarks?: string;
  readonly paperNoticeRequested?: boolean;
}

export interface CaseRow {
  case_id: string;
  routing_id: string;
  item_code: string;
  receipt_number: string;
  snapshot: AnyCaseSnapshot;
  state: CaseState;
  clock_department_id: string;
  time_limit_days: number;
  clock_started_at: Date;
  due_at: Date;
  budget_seconds: number;
  warn_at: Date | null;
  paused_at: Date | null;
  remaining_seconds: number | null;
  supplement_round: number;
  outcome: 'approved' | 'rejected' | null;
  origin: DecisionOrigin | null;
  decided_at: Date | null;
  result_document: ResultDocument | null;
  auto_checks: EvaluatedCheck[] | null;
  version: number;
  created_at: Date;
}

export interface WorkItemRow {
  id: string;
  case_id: string;
  routing_id: string;
  department_id: string;
  district_code: string;
  role: 'primary' | 'parallel';
  item_code: string;
  receipt_number: string;
  state: WorkItemState;
  claimed_by: string | null;
  claimed_at: Date | null;
  escalated_at: Date | null;
  origin: DecisionOrigin | null;
  decided_by: EventActor | null;
  decided_at: Date | null;
  reason_code: string | null;
  reason_text: string | null;
  document: ResultDocument | null;
  auto_checks: EvaluatedCheck[] | null;
  withdrawn_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export function clockStateOf(row: CaseRow): ClockState {
  return {
    startedAt: row.clock_started_at,
    dueAt: row.due_at,
    budgetSeconds: row.budget_seconds,
    pausedAt: row.paused_at,
    remainingSeconds: row.remaining_seconds,
  };
}

export function partOf(item: WorkItemRow): DepartmentPart {
  const decidedAt = item.decided_at;
  const decidedBy = item.decided_by;
  const decided = item.state === 'approved' || item.state === 'rejected';
  const decision: DepartmentDecision | undefined =
    decided && decidedAt && decidedBy
      ? {
          departmentId: item.department_id,
          outcome: item.state as 'approved' | 'rejected',
          origin: item.origin ?? 'reviewer',
          ...(item.reason_code ? { reasonCode: item.reason_code } : {}),
          ...(item.reason_text ? { reasonText: item.reason_text } : {}),
          decidedBy,
          decidedAt: decidedAt.toISOString(),
        }
      : undefined;
  return {
    departmentId: item.department_id,
    role: item.role,
    state: item.state,
    ...(decision ? { decision } : {}),
  };
}
