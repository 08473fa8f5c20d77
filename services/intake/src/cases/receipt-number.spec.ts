import { findPersonalNumbers } from '@tongban/pii';
import { bundledReferenceFiles, parseReferenceData } from '@tongban/reference-data';
import { chinaDay, formatReceiptNumber } from './receipt-number';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('receipt numbers', () => {
  it('reads office, China day and sequence', () => {
    expect(formatReceiptNumber('440306001', '2026-11-24', 7)).toBe('440306001-20261124-0007');
    expect(chinaDay(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
  });

  // A receipt number travels in logs, audit entries and texts, where every scanner looks for ID
  // and phone numbers; a receipt mistaken for one would be masked or refused.
  it('is never mistaken for an ID or phone number: every office, every day of a year, sequences up to 999,999', () => {
    const offices = parseReferenceData(bundledReferenceFiles())
      .offices()
      .map((office) => office.id);
    const sequences = [1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999, 100_000, 138_123, 999_999];
    const start = Date.UTC(2026, 0, 1);
    let checked = 0;
    const judged: string[] = [];
    for (const office of offices) {
      for (let day = 0; day < 366; day++) {
        const date = chinaDay(new Date(start + day * DAY_MS));
        for (const sequence of sequences) {
          const receipt = formatReceiptNumber(office, date, sequence);
          if (findPersonalNumbers(`受理回执 ${receipt}，`).length > 0) judged.push(receipt);
          checked++;
        }
      }
    }
    expect(judged).toEqual([]);
    expect(checked).toBeGreaterThan(500_000);
  });
});
