/** Chinese mainland mobile numbers: 11 digits, `1` then `3`-`9`. */

const MOBILE = /^1[3-9]\d{9}$/;
// Country code as people write it: +86, 0086 or a bare 86, before the 11 digits.
const COUNTRY_CODE = /^(?:\+|00)?86(?=\d{11}$)/;

/**
 * The 11 digits of a mainland mobile number written with an optional +86 / 0086 / 86 prefix and
 * any spaces or hyphens, or null when it is not one.
 */
export function normalizePhone(value: string): string | null {
  if (typeof value !== 'string') return null;
  const digits = value.replace(/[\s-]/g, '').replace(COUNTRY_CODE, '');
  return MOBILE.test(digits) ? digits : null;
}

export function isValidPhone(value: string): boolean {
  return normalizePhone(value) !== null;
}
