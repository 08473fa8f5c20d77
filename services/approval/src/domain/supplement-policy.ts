/** A supplement request of the case, as the 一次性告知 rules see it. */
export interface PriorRequest {
  readonly departmentId: string;
  readonly round: number;
  readonly answered: boolean;
  readonly withdrawn: boolean;
  /** Material codes the applicant handed in when answering. */
  readonly answeredMaterials: readonly string[];
}

export type SupplementCheck =
  | { readonly ok: true; readonly round: number }
  | {
      readonly ok: false;
      readonly reason: 'round_open';
      readonly round: number;
      readonly departmentId: string;
    }
  | { readonly ok: false; readonly reason: 'not_changed'; readonly materials: readonly string[] };

/**
 * 一次性告知: a department lists every missing or wrong material at once. While a request of the
 * case is open (its round) no other request may be made; once answered, a department that asked
 * before may ask again only about materials the applicant handed in since its last request
 * (a changed material can be wrong again; an unchanged one should have been listed the first
 * time). A department asking for the first time may list any material. Rounds count per case.
 */
export function checkSupplementRequest(
  departmentId: string,
  materialCodes: readonly string[],
  history: readonly PriorRequest[],
): SupplementCheck {
  const live = history.filter((request) => !request.withdrawn);
  const open = live.find((request) => !request.answered);
  if (open) return { ok: false, reason: 'round_open', round: open.round, departmentId: open.departmentId };
  const round = Math.max(0, ...history.map((request) => request.round)) + 1;
  const ownRounds = live.filter((request) => request.departmentId === departmentId).map((r) => r.round);
  if (ownRounds.length === 0) return { ok: true, round };
  const lastOwn = Math.max(...ownRounds);
  const changed = new Set(
    live.filter((request) => request.round >= lastOwn).flatMap((request) => request.answeredMaterials),
  );
  const unchanged = materialCodes.filter((code) => !changed.has(code));
  return unchanged.length > 0
    ? { ok: false, reason: 'not_changed', materials: unchanged }
    : { ok: true, round };
}
