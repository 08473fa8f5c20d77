import type { EntityManager } from 'typeorm';

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The office's calendar day (Asia/Shanghai, no daylight saving) as YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 受理回执号: office code, day, and the office's sequence of that day, e.g. 440306001-20261124-0007. */
export function formatReceiptNumber(officeId: string, day: string, sequence: number): string {
  return `${officeId}-${day.replace(/-/g, '')}-${String(sequence).padStart(4, '0')}`;
}

/**
 * Allocates the next receipt number in the caller's transaction: the row lock serialises the
 * office's submissions of the day, and a rolled-back submission gives its number back.
 */
export async function allocateReceiptNumber(
  manager: EntityManager,
  officeId: string,
  at: Date,
): Promise<string> {
  const day = chinaDay(at);
  const [row] = (await manager.query(
    `INSERT INTO receipt_sequences (office_id, day, last_seq) VALUES ($1, $2, 1)
     ON CONFLICT (office_id, day) DO UPDATE SET last_seq = receipt_sequences.last_seq + 1
     RETURNING last_seq`,
    [officeId, day],
  )) as { last_seq: number }[];
  if (!row) throw new Error('receipt sequence allocation returned no row');
  return formatReceiptNumber(officeId, day, row.last_seq);
}
