import { randomBytes } from 'node:crypto';
import { localDateOf } from '@tongban/reference-data';

/**
 * 回执单 number: office, the office's business day in China time (as every other receipt; the UTC
 * date is the day before between 00:00 and 08:00), and six random hex digits.
 */
export function courierReceiptNumber(officeId: string, at: Date, random = randomBytes(3)): string {
  return `HD-${officeId}-${localDateOf(at).replaceAll('-', '')}-${random.toString('hex').toUpperCase()}`;
}
