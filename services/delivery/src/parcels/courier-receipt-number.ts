import { randomBytes } from 'node:crypto';

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * 回执单号: `HD-<office>-<China day>-<6 random hex>`, e.g. HD-440306001-20261204-3FA91C. The day is
 * the office's, as on the case receipts; the random part keeps numbers of one office and day
 * from being guessed from each other.
 */
export function newCourierReceiptNumber(officeId: string, at: Date): string {
  const day = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
  return `HD-${officeId}-${day}-${randomBytes(3).toString('hex').toUpperCase()}`;
}
