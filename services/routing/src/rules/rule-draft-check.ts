import type { ReferenceData } from '@tongban/reference-data';
import type { RuleDraft } from './routing-rule';

export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/**
 * What a draft must satisfy against the reference data before it can become a version: the item,
 * region, department types and departments it names exist, fit each other and are enabled. Every
 * problem is reported at once.
 */
export function checkDraftAgainstReference(draft: RuleDraft, ref: ReferenceData): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, reason: string) => problems.push({ field, reason });

  if (!ref.item(draft.itemCode)) add('itemCode', `no service item ${draft.itemCode} in the reference data`);
  if (draft.region !== null && !ref.district(draft.region) && !ref.city(draft.region)) {
    add('region', `no district or city ${draft.region} in the reference data`);
  }

  if (draft.region === null) {
    if (draft.basis === null) add('basis', 'is required on an item’s default rule');
    if (draft.basis === 'fixed_department' && draft.departmentId === null) {
      add('departmentId', 'is required when the basis is fixed_department');
    }
    if (draft.basis !== 'fixed_department' && draft.departmentType === null) {
      add('departmentType', 'is required unless the basis is fixed_department');
    }
  } else {
    if (draft.basis !== null)
      add('basis', 'is set by the item’s default rule; an override may not change it');
    if (draft.departmentId === null && draft.departmentType === null) {
      add(
        'departmentId',
        'an override names the department, or the department type, that handles the region',
      );
    }
  }

  if (draft.departmentType !== null && !ref.departmentType(draft.departmentType)) {
    add('departmentType', `no department type ${draft.departmentType}`);
  }
  if (draft.departmentId !== null) {
    const department = ref.department(draft.departmentId);
    if (!department) add('departmentId', `no department ${draft.departmentId}`);
    else if (!department.enabled) add('departmentId', `department ${draft.departmentId} is disabled`);
    else if (draft.departmentType !== null && department.type !== draft.departmentType) {
      add(
        'departmentId',
        `department ${draft.departmentId} is of type ${department.type}, not ${draft.departmentType}`,
      );
    }
  }

  const parallel = draft.parallelDepartmentTypes ?? [];
  const primaryType =
    draft.departmentType ?? (draft.departmentId && ref.department(draft.departmentId)?.type);
  parallel.forEach((type, index) => {
    const field = `parallelDepartmentTypes.${index}`;
    if (!ref.departmentType(type)) add(field, `no department type ${type}`);
    else if (type === primaryType) add(field, 'repeats the primary department type');
    else if (parallel.indexOf(type) !== index) add(field, `${type} is listed twice`);
  });
  return problems;
}
