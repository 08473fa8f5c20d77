import { isValidPhone, validateResidentId } from '@tongban/pii/browser';
import { type TFunction } from 'i18next';
import { type FormInstance } from 'antd';
import { type FieldIssue } from '../api/client';

// The same checks intake applies (`@tongban/pii`), so the clerk hears of a typo before sending.

export const idNumberRule = (t: TFunction) => ({
  validator: (_rule: unknown, value: string | undefined) => {
    if (!value) return Promise.resolve();
    const result = validateResidentId(value.trim());
    if (result.ok) return Promise.resolve();
    return Promise.reject(
      new Error(result.reason === 'checksum' ? t('checks.idChecksum') : t('checks.idFormat')),
    );
  },
});

export const phoneRule = (t: TFunction) => ({
  validator: (_rule: unknown, value: string | undefined) =>
    !value || isValidPhone(value) ? Promise.resolve() : Promise.reject(new Error(t('checks.phone'))),
});

export const phoneLast4Rule = (t: TFunction) => ({
  pattern: /^\d{4}$/,
  message: t('checks.phoneLast4'),
});

/** "applicant.idNumber" → ['applicant', 'idNumber']; "materials.0.code" → ['materials', 0, 'code']. */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Puts each server issue on its form field. Returns the issues no field of the form shows, for a
 * message above the form.
 */
export function showServerIssues(form: FormInstance, issues: readonly FieldIssue[]): FieldIssue[] {
  const unplaced: FieldIssue[] = [];
  const placed = issues.filter((issue) => {
    const name = fieldPath(issue.field);
    const known = form.getFieldInstance(name) !== undefined || form.getFieldValue(name) !== undefined;
    if (!known) unplaced.push(issue);
    return known;
  });
  form.setFields(placed.map((issue) => ({ name: fieldPath(issue.field), errors: [issue.reason] })));
  return unplaced;
}

/**
 * "Pick at least one" without antd's `required` flag: that flag sets aria-required, which a
 * checkbox group or a star rating (no ARIA role) must not carry.
 */
export const chosen = (message: string) => ({
  validator: (_rule: unknown, value: unknown) =>
    (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== 0)
      ? Promise.resolve()
      : Promise.reject(new Error(message)),
});
