import type { JurisdictionBasis } from '@tongban/contracts';

/** The bases a rule may name; `manual` is only ever an operator's assignment, never a rule. */
export type RuleBasis = Exclude<JurisdictionBasis, 'manual'>;

/**
 * One version of a routing rule. A rule is either an item's default rule (`region` null: the
 * jurisdiction basis and the competent department type everywhere) or an override for the cases
 * whose competent district lies in `region` (a district, or a city for work the city does
 * centrally), which names the department or the type that handles them instead.
 *
 * Versions are append-only; each is in force over [effectiveFrom, effectiveTo), an open window
 * when `effectiveTo` is null.
 */
export interface RuleVersion {
  readonly ruleId: string;
  readonly version: number;
  readonly itemCode: string;
  readonly region: string | null;
  readonly effectiveFrom: Date;
  readonly effectiveTo: Date | null;
  /** Default rules only; an override inherits the basis of the item's default rule. */
  readonly basis: RuleBasis | null;
  readonly departmentType: string | null;
  /** The fixed department (basis fixed_department, or an override handled by one department). */
  readonly departmentId: string | null;
  /** 并联审批 department types, resolved in the competent district; null on an override = inherit. */
  readonly parallelDepartmentTypes: readonly string[] | null;
  readonly note: string;
}

export type RuleRef = Pick<RuleVersion, 'ruleId' | 'version'>;

/** `ITEM` for an item's default rule, `ITEM@REGION` for its override in a region. */
export function ruleIdFor(itemCode: string, region: string | null): string {
  return region === null ? itemCode : `${itemCode}@${region}`;
}

export function isInForce(rule: RuleVersion, at: Date): boolean {
  const time = at.getTime();
  return (
    rule.effectiveFrom.getTime() <= time && (rule.effectiveTo === null || time < rule.effectiveTo.getTime())
  );
}

function windowsOverlap(a: Pick<RuleVersion, 'effectiveFrom' | 'effectiveTo'>, b: typeof a): boolean {
  const aEnd = a.effectiveTo?.getTime() ?? Number.POSITIVE_INFINITY;
  const bEnd = b.effectiveTo?.getTime() ?? Number.POSITIVE_INFINITY;
  return a.effectiveFrom.getTime() < bEnd && b.effectiveFrom.getTime() < aEnd;
}

/** The rules of one item in force at an instant: its default rule and its overrides. */
export interface ItemRules {
  readonly base: RuleVersion | undefined;
  readonly overrides: readonly RuleVersion[];
}

/** Every rule version, indexed for routing; immutable, so a cache can swap it atomically. */
export class RuleSet {
  private readonly byItem = new Map<string, RuleVersion[]>();

  constructor(
    readonly versions: readonly RuleVersion[],
    /** The revision of the rules table this set was read at. */
    readonly revision: number,
  ) {
    for (const rule of versions) {
      const list = this.byItem.get(rule.itemCode) ?? [];
      list.push(rule);
      this.byItem.set(rule.itemCode, list);
    }
  }

  inForce(itemCode: string, at: Date): ItemRules {
    const current = (this.byItem.get(itemCode) ?? []).filter((rule) => isInForce(rule, at));
    return {
      base: current.find((rule) => rule.region === null),
      overrides: current.filter((rule) => rule.region !== null),
    };
  }

  history(ruleId: string): RuleVersion[] {
    return this.versions.filter((rule) => rule.ruleId === ruleId).sort((a, b) => a.version - b.version);
  }
}

/** A new version as an administrator asks for it, before it has a number. */
export type RuleDraft = Omit<RuleVersion, 'ruleId' | 'version'>;

export type DraftProblem =
  | { readonly kind: 'invalid'; readonly field: string; readonly reason: string }
  | { readonly kind: 'overlap'; readonly field: string; readonly reason: string; readonly version: number };

export interface PlannedVersion {
  readonly version: RuleVersion;
  /** The open-ended version that the new one ends: its window closes where the new one starts. */
  readonly closes: RuleVersion | undefined;
}

/**
 * Where a new version goes in a rule's history. It may start while the latest version is still
 * open-ended (that version then ends where the new one starts, which is how a rule is changed);
 * any other overlap with an existing window is refused, naming the version it collides with.
 * A version may not start in the past, so a routing already made stays explained by the version
 * it used.
 */
export function planVersion(
  history: readonly RuleVersion[],
  draft: RuleDraft,
  now: Date,
): { ok: true; plan: PlannedVersion } | { ok: false; problem: DraftProblem } {
  if (draft.effectiveFrom.getTime() < now.getTime()) {
    return invalid('effectiveFrom', 'must not be in the past: routings already made keep their rule');
  }
  if (draft.effectiveTo !== null && draft.effectiveTo.getTime() <= draft.effectiveFrom.getTime()) {
    return invalid('effectiveTo', 'must be after effectiveFrom');
  }
  const ruleId = ruleIdFor(draft.itemCode, draft.region);
  const latest = history.reduce<RuleVersion | undefined>(
    (found, rule) => (found === undefined || rule.version > found.version ? rule : found),
    undefined,
  );
  const closes =
    latest !== undefined &&
    latest.effectiveTo === null &&
    latest.effectiveFrom.getTime() < draft.effectiveFrom.getTime()
      ? latest
      : undefined;
  for (const existing of history) {
    const window =
      existing === closes
        ? { effectiveFrom: existing.effectiveFrom, effectiveTo: draft.effectiveFrom }
        : existing;
    if (windowsOverlap(window, draft)) {
      const until = existing.effectiveTo?.toISOString() ?? 'open-ended';
      return {
        ok: false,
        problem: {
          kind: 'overlap',
          field: 'effectiveFrom',
          reason: `overlaps version ${existing.version} of ${ruleId} (${existing.effectiveFrom.toISOString()} to ${until})`,
          version: existing.version,
        },
      };
    }
  }
  return {
    ok: true,
    plan: { version: { ...draft, ruleId, version: (latest?.version ?? 0) + 1 }, closes },
  };
}

function invalid(field: string, reason: string): { ok: false; problem: DraftProblem } {
  return { ok: false, problem: { kind: 'invalid', field, reason } };
}
