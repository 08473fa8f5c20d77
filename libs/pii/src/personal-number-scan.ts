import { maskPhone, maskResidentId } from './masking';
import { normalizePhone } from './phone';
import { isValidResidentId, normalizeResidentId } from './resident-id';

/*
 * The one rule every scanner of the system applies (audit trail, log scrubber, dead-letter error
 * scrubbing, the fault suite's leak scan, free-text checks): which resident ID and mobile numbers
 * a text contains.
 *
 * A number counts only where it stands as a word of its own. Identifiers the system generates
 * are full of digit runs that happen to pass the validators: the last group of a v4 UUID is one
 * hex letter plus eleven digits in 0.03 % of UUIDs, and trace ids, hashes and ciphertexts hold
 * long runs too. So a candidate is not a number a person typed when
 * - a digit touches it (it is part of a longer number: an epoch, a tracking number's digits),
 * - it is glued to letters and the whole word around it, hyphens included, is hexadecimal (a
 *   UUID, a trace or span id, a hash), or
 * - a decimal point joins it to digits (a fraction).
 * A number glued to other letters ("Tel13812345678", "ID11010519491231002X") still counts; so do
 * numbers written in groups as people type them (110105 19491231 002X, +86 138-1234-5678).
 */

export type PersonalNumberKind = 'resident-id' | 'phone';

export interface PersonalNumberMatch {
  readonly kind: PersonalNumberKind;
  /** Index of the first character in the scanned text. */
  readonly start: number;
  /** Index after the last character. */
  readonly end: number;
}

const RESIDENT_ID = /\d{17}[\dXx]|\d{6}([- ])\d{8}\1\d{3}[\dXx]/y;
const PHONE = /(?:(?:\+|00)?86[- ]?)?(?:1[3-9]\d{9}|1[3-9]\d([- ])\d{4}\1\d{4})/y;
// Every candidate holds one of these; most texts hold none and skip the scan.
const MIGHT_HOLD_ONE = /\d{11}|\d{3}[- ]\d{4}[- ]\d{4}|\d{6}[- ]\d{8}/;
// Where a candidate can start: scanning only these positions keeps long texts cheap.
const CANDIDATE_START = /[\d+]/g;

const DIGIT = /\d/;
const LETTER = /[A-Za-z]/;
// Words of identifiers run on over hyphens: a UUID is one word.
const WORD_CHAR = /[0-9A-Za-z-]/;
const HEX_WORD = /^[0-9a-fA-F-]+$/;

/** Every resident ID and mobile number in the text, in order, none overlapping. */
export function findPersonalNumbers(text: string): PersonalNumberMatch[] {
  const found: PersonalNumberMatch[] = [];
  if (!mightHoldPersonalNumber(text)) return found;
  let from = 0;
  for (let start = nextStart(text, 0); start !== -1; start = nextStart(text, start + 1)) {
    if (start < from) continue;
    const match = matchAt(text, start);
    if (match) {
      found.push(match);
      from = match.end;
    }
  }
  return found;
}

/** Cheap test: false means the text holds no personal number (most texts; a full scan is not needed). */
export function mightHoldPersonalNumber(text: string): boolean {
  return MIGHT_HOLD_ONE.test(text);
}

export function containsPersonalNumber(text: string): boolean {
  return findPersonalNumbers(text).length > 0;
}

/** The text with every personal number replaced by what `replace` makes of it. */
export function replacePersonalNumbers(
  text: string,
  replace: (value: string, kind: PersonalNumberKind) => string,
): string {
  let result = '';
  let copied = 0;
  for (const match of findPersonalNumbers(text)) {
    result += text.slice(copied, match.start) + replace(text.slice(match.start, match.end), match.kind);
    copied = match.end;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** The text with every ID and phone number replaced by its usual mask. */
export function maskPersonalNumbers(text: string): string {
  return replacePersonalNumbers(text, (value, kind) =>
    kind === 'phone' ? maskPhone(value) : maskResidentId(normalizeResidentId(value) ?? value),
  );
}

function nextStart(text: string, from: number): number {
  CANDIDATE_START.lastIndex = from;
  const next = CANDIDATE_START.exec(text);
  return next ? next.index : -1;
}

function matchAt(text: string, start: number): PersonalNumberMatch | null {
  for (const [kind, pattern, isValid] of CANDIDATES) {
    pattern.lastIndex = start;
    const candidate = pattern.exec(text);
    if (!candidate) continue;
    const end = start + candidate[0].length;
    if (isValid(candidate[0]) && standsAlone(text, start, end)) return { kind, start, end };
  }
  return null;
}

const CANDIDATES: readonly [PersonalNumberKind, RegExp, (value: string) => boolean][] = [
  ['resident-id', RESIDENT_ID, (value) => isValidResidentId(normalizeResidentId(value) ?? '')],
  ['phone', PHONE, (value) => normalizePhone(value) !== null],
];

function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.charAt(start - 1);
  const after = text.charAt(end);
  if (DIGIT.test(before) || DIGIT.test(after)) return false;
  if (before === '.' && DIGIT.test(text.charAt(start - 2))) return false;
  if (after === '.' && DIGIT.test(text.charAt(end + 1))) return false;
  if (!LETTER.test(before) && !LETTER.test(after)) return true;
  return !HEX_WORD.test(wordAround(text, start, end));
}

function wordAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && WORD_CHAR.test(text.charAt(from - 1))) from--;
  let to = end;
  while (to < text.length && WORD_CHAR.test(text.charAt(to))) to++;
  return text.slice(from, to);
}
