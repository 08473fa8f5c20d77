import { maskPersonalNumbers, mightHoldPersonalNumber } from '@tongban/pii';

/*
 * The last line of defence for logs: whatever redaction missed (a message, an error stack, a URL
 * query, a field with an unexpected name) is masked here before it is written. Which numbers
 * count is @tongban/pii's findPersonalNumbers, the rule every scanner shares: identifiers (UUIDs,
 * trace ids, hashes, tracking and receipt numbers) are never masked.
 */

/** Masks every resident ID number and mainland mobile number in free text. */
export function scrubPersonalData(text: string): string {
  return maskPersonalNumbers(text);
}

// Kafka positions are bare numbers that grow without bound; under these keys a value is one,
// whatever digits it has reached.
const POSITION_KEYS = new Set(['offset', 'highWatermark']);

/**
 * Scrubs one serialized JSON log line and keeps it valid JSON: strings are scrubbed after
 * unescaping (a number right after a `\n` is still found), a number that is a phone or ID
 * becomes its masked string, and keys are scrubbed too. Anything that is not JSON is scrubbed
 * as text.
 */
export function scrubLogLine(line: string): string {
  // Most lines hold nothing to mask and are not parsed at all.
  if (!mightHoldPersonalNumber(line)) return line;
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
      Object.entries(value).map(([key, item]) => [
        scrubPersonalData(key),
        POSITION_KEYS.has(key) && isPosition(item) ? item : scrubValue(item),
      ]),
    );
  }
  return value;
}

function isPosition(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isInteger(value)) ||
    (typeof value === 'string' && /^\d+$/.test(value))
  );
}
