import type { FieldIssue } from '@tongban/runtime';

export type HandInAssessment =
  | { readonly ok: false; readonly conflict: string }
  | { readonly ok: false; readonly issues: FieldIssue[] }
  | { readonly ok: true; readonly handedIn: string[]; readonly outstanding: string[] };

/**
 * 容缺后补 at the window, without a reviewer's request: every material handed in must be one still
 * outstanding; any subset may come at once. After the deadline a late hand-in is still taken (it
 * ends the hold the expiry put on the result, see docs/field-procedures.md).
 */
export function assessHandIn(
  outstanding: readonly string[],
  handed: readonly { code: string }[],
): HandInAssessment {
  if (outstanding.length === 0)
    return { ok: false, conflict: 'no supplement request is open and no 容缺 material is outstanding' };
  const issues: FieldIssue[] = [];
  handed.forEach((material, index) => {
    if (!outstanding.includes(material.code))
      issues.push({
        field: `materials.${index}.code`,
        reason: `${material.code} is not an outstanding 容缺 material (outstanding: ${outstanding.join(', ')})`,
      });
  });
  if (issues.length > 0) return { ok: false, issues };
  const handedIn = [...new Set(handed.map((material) => material.code))];
  return { ok: true, handedIn, outstanding: outstanding.filter((code) => !handedIn.includes(code)) };
}
