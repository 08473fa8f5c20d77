import { maskPhone, maskResidentId, normalizeResidentId } from '@tongban/pii';

/*
 * The last line of defence for logs: whatever redaction missed (a message, an error stack, a URL
 * query, a field with an unexpected name) is masked here before it is written.
 *
 * Besides the plain forms, numbers grouped by spaces or hyphens as people type them
 * (110105 19491231 002X, 138 1234 5678) are masked too.
 */
const RESIDENT_ID = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{6}([- ])\d{8}\1\d{3}[\dXx])(?![0-9A-Za-z])/g;
const PHONE = /(?<!\d)(?:(?:\+|00)?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
const GROUPED_PHONE = /(?<![\w-])(?:(?:\+|00)?86[- ]?)?1[3-9]\d([- ])\d{4}\1\d{4}(?![0-9A-Za-z])/g;

// Trace, span and UUID-style ids are lower-case hex and may hold 11 digits in a row by chance;
// masking those would break log correlation and hide no personal data.
const ALPHANUMERIC = /[0-9A-Za-z]/;
const HEX_ID = /^[\da-f]{12,}$/;

/** Masks every resident ID number and mainland mobile number in free text. */
export function scrubPersonalData(text: string): string {
  return text
    .replace(RESIDENT_ID, (id) => maskResidentId(normalizeResidentId(id) ?? id))
    .replace(GROUPED_PHONE, (phone) => maskPhone(phone))
    .replace(PHONE, (phone, offset: number, whole: string) =>
      isInsideHexId(whole, offset, offset + phone.length) ? phone : maskPhone(phone),
    );
}

// Cheap test for whether a line can contain anything to mask; most lines cannot.
const CANDIDATE = /\d{11}|\d{3}[- ]\d{4}[- ]\d{4}|\d{6}[- ]\d{8}/;

/**
 * Scrubs one serialized JSON log line and keeps it valid JSON: strings are scrubbed after
 * unescaping (a number right after a `\n` is still found), a number that is a phone or ID
 * becomes its masked string, and keys are scrubbed too. Anything that is not JSON is scrubbed
 * as text.
 */
export function scrubLogLine(line: string): string {
  if (!CANDIDATE.test(line)) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return scrubPersonalData(line);
  }
  return `${JSON.stringify(scrubValue(parsed))}${line.endsWith('\n') ? '\n' : ''}`;
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubPersonalData(value);
  if (typeof value === 'number') {
    const text = String(value);
    const scrubbed = scrubPersonalData(text);
    return scrubbed === text ? value : scrubbed;
  }
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [scrubPersonalData(key), scrubValue(item)]),
    );
  }
  return value;
}

function isInsideHexId(text: string, start: number, end: number): boolean {
  let from = start;
  while (from > 0 && ALPHANUMERIC.test(text.charAt(from - 1))) from--;
  let to = end;
  while (to < text.length && ALPHANUMERIC.test(text.charAt(to))) to++;
  return (from < start || to > end) && HEX_ID.test(text.slice(from, to));
}
