/**
 * The case's statutory clock (限时办结), pure: working-time arithmetic comes from a
 * `WorkingClock` (the deciding department's working-day calendar, or the compressed test clock).
 *
 * - The budget is the working time from the start of the clock to the due instant.
 * - A supplement request (一次性告知) pauses the clock: the remaining working time is kept.
 * - `case.supplemented` resumes it: due = addWorkingSeconds(resumedAt, remaining), as in
 *   libs/reference-data/README.md ("SLA clock and calendar convention").
 * - The share used is (budget - remaining) / budget: 0 at the start, 1 at the due instant,
 *   above 1 once overdue; paused time never counts.
 */
export interface WorkingClock {
  workingSecondsBetween(from: Date, to: Date): number;
  addWorkingSeconds(from: Date, seconds: number): Date;
  addWorkingDays(from: Date, days: number): Date;
}

export interface ClockState {
  readonly startedAt: Date;
  readonly dueAt: Date;
  /** Working seconds from the start to the (first) due instant; unchanged by pauses. */
  readonly budgetSeconds: number;
  readonly pausedAt: Date | null;
  /** Working seconds left when the clock was paused (negative when it was already overdue). */
  readonly remainingSeconds: number | null;
}

export type SlaTimerKind = 'warning' | 'overdue' | 'escalated';
export const SLA_TIMER_KINDS: readonly SlaTimerKind[] = ['warning', 'overdue', 'escalated'];

export interface SlaPolicy {
  /** Share of the budget at which the warning fires, e.g. 0.8. */
  readonly warningShare: number;
  /** Working seconds after the due instant at which the case is escalated to the supervisor. */
  readonly escalationSeconds: number;
}

export function startClock(startedAt: Date, dueAt: Date, clock: WorkingClock): ClockState {
  return {
    startedAt,
    dueAt,
    budgetSeconds: clock.workingSecondsBetween(startedAt, dueAt),
    pausedAt: null,
    remainingSeconds: null,
  };
}

/** Working seconds left at `at`: negative once overdue, frozen while paused. */
export function remainingSeconds(state: ClockState, at: Date, clock: WorkingClock): number {
  if (state.pausedAt !== null) return state.remainingSeconds ?? 0;
  return at.getTime() <= state.dueAt.getTime()
    ? clock.workingSecondsBetween(at, state.dueAt)
    : -clock.workingSecondsBetween(state.dueAt, at);
}

/** Share of the statutory working time used at `at` (1 at the deadline, above 1 when overdue). */
export function usedShare(state: ClockState, at: Date, clock: WorkingClock): number {
  const remaining = remainingSeconds(state, at, clock);
  if (!(state.budgetSeconds > 0)) return remaining > 0 ? 0 : 1;
  return Math.max(0, (state.budgetSeconds - remaining) / state.budgetSeconds);
}

export function pauseClock(state: ClockState, at: Date, clock: WorkingClock): ClockState {
  if (state.pausedAt !== null) return state;
  return { ...state, pausedAt: at, remainingSeconds: remainingSeconds(state, at, clock) };
}

export function resumeClock(state: ClockState, at: Date, clock: WorkingClock): ClockState {
  if (state.pausedAt === null) return state;
  const remaining = Math.max(0, state.remainingSeconds ?? 0);
  return {
    ...state,
    dueAt: remaining > 0 ? clock.addWorkingSeconds(at, remaining) : state.dueAt,
    pausedAt: null,
    remainingSeconds: null,
  };
}

/**
 * When each SLA timer of a running clock fires, seen from `now`: the warning when the share used
 * reaches `warningShare` (now, if it already has), overdue at the due instant, the escalation
 * `escalationSeconds` of working time later. Null while the clock is paused.
 */
export function timerSchedule(
  state: ClockState,
  now: Date,
  clock: WorkingClock,
  policy: SlaPolicy,
): Record<SlaTimerKind, Date> | null {
  if (state.pausedAt !== null) return null;
  const remaining = remainingSeconds(state, now, clock);
  const warningRemaining = (1 - policy.warningShare) * state.budgetSeconds;
  const warning =
    remaining > warningRemaining ? clock.addWorkingSeconds(now, remaining - warningRemaining) : now;
  return {
    warning,
    overdue: state.dueAt,
    escalated: clock.addWorkingSeconds(state.dueAt, policy.escalationSeconds),
  };
}
