/**
 * Resident identity numbers (居民身份号码) per GB 11643-1999: a 6-digit region code (GB/T 2260),
 * an 8-digit birth date, a 3-digit sequence code whose last digit is odd for men and even for
 * women, and an ISO 7064 MOD 11-2 check character.
 */

export type Sex = 'male' | 'female';

export type ResidentIdFailureReason =
  'length' | 'format' | 'lowercase_x' | 'region' | 'birth_date' | 'checksum';

export interface ValidResidentId {
  readonly ok: true;
  readonly value: string;
  /** The 6-digit GB/T 2260 code of the district that first issued the number. */
  readonly regionCode: string;
  /** ISO date, `YYYY-MM-DD`: a calendar date, so no time zone can shift it. */
  readonly birthDate: string;
  readonly sex: Sex;
}

export interface InvalidResidentId {
  readonly ok: false;
  readonly reason: ResidentIdFailureReason;
  /** For people; never contains the number itself, so it is safe to log or return to a client. */
  readonly message: string;
}

export type ResidentIdValidation = ValidResidentId | InvalidResidentId;

export interface ResidentIdValidationOptions {
  /** The moment "now", for birth dates in the future; defaults to the current time. */
  readonly today?: Date;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/*
 * Region policy: only the province-level prefix is checked, not the full 6-digit code against a
 * GB/T 2260 table. A number keeps the code of the district that issued it for life, and GB/T 2260
 * has retired and renumbered many district codes since 1984, so a current-table check would
 * reject genuine numbers. Residence permits for Hong Kong, Macao and Taiwan residents (2018) carry
 * exactly 810000, 820000 and 830000. Code 71 (Taiwan province) is rejected: no number is issued
 * with it.
 */
const MAINLAND_PROVINCES = new Set([
  ...['11', '12', '13', '14', '15'],
  ...['21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46'],
  ...['50', '51', '52', '53', '54'],
  ...['61', '62', '63', '64', '65'],
]);
const RESIDENCE_PERMIT_REGIONS = new Set(['810000', '820000', '830000']);

const EARLIEST_BIRTH_DATE = '1900-01-01';
// China has had a single zone, UTC+8, without daylight saving since 1991; a birth date is a date
// there, so "today" is too.
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The check character (`0`-`9` or upper-case `X`) for the first 17 digits of a number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError('residentIdCheckChar expects exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS.charAt(sum % 11);
}

export function isValidRegionCode(regionCode: string): boolean {
  if (!/^\d{6}$/.test(regionCode)) return false;
  return MAINLAND_PROVINCES.has(regionCode.slice(0, 2)) || RESIDENCE_PERMIT_REGIONS.has(regionCode);
}

export function validateResidentId(
  value: string,
  options: ResidentIdValidationOptions = {},
): ResidentIdValidation {
  if (typeof value !== 'string') return invalid('format', 'must be a string');
  if (value.length !== 18) return invalid('length', 'must be exactly 18 characters');
  if (!/^\d{17}[\dXx]$/.test(value)) {
    return invalid('format', 'must be 17 digits followed by a digit or X');
  }
  if (value.endsWith('x')) return invalid('lowercase_x', 'the check character must be an upper-case X');

  const regionCode = value.slice(0, 6);
  if (!isValidRegionCode(regionCode)) {
    return invalid('region', 'the first 6 digits are not a GB/T 2260 province or residence-permit code');
  }

  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const today = chinaDate(options.today ?? new Date());
  if (!isCalendarDate(birthDate) || birthDate < EARLIEST_BIRTH_DATE || birthDate > today) {
    return invalid('birth_date', `digits 7-14 must be a real birth date from 1900-01-01 to ${today}`);
  }

  if (residentIdCheckChar(value.slice(0, 17)) !== value.charAt(17)) {
    return invalid('checksum', 'the check character does not match (ISO 7064 MOD 11-2): a digit is wrong');
  }

  return {
    ok: true,
    value,
    regionCode,
    birthDate,
    sex: Number(value.charAt(16)) % 2 === 1 ? 'male' : 'female',
  };
}

export function isValidResidentId(value: string): boolean {
  return validateResidentId(value).ok;
}

/**
 * The canonical form for lookup hashes and masks: separators dropped, `x` upper-cased. Returns
 * null when the value does not have the shape of an 18-character number; it does not validate.
 */
export function normalizeResidentId(value: string): string | null {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  return /^\d{17}[\dX]$/.test(compact) ? compact : null;
}

function invalid(reason: ResidentIdFailureReason, message: string): InvalidResidentId {
  return { ok: false, reason, message };
}

function isCalendarDate(isoDate: string): boolean {
  const parsed = new Date(`${isoDate}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(isoDate);
}

/** Full years from a birth date to a day, both YYYY-MM-DD (a 29 February birthday turns on 1 March). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The calendar date in China at the given moment, as `YYYY-MM-DD`. */
function chinaDate(moment: Date): string {
  return new Date(moment.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}
