import { findPersonalNumbers } from '@tongban/pii';
import { bundledReferenceFiles, parseReferenceData } from '@tongban/reference-data';
import { TrackCaseDto } from './case-followups.dto';
import { chinaDay, formatReceiptNumber } from './receipt-number';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('receipt numbers', () => {
  it('pad the sequence to four digits and go on past the 9,999th case of a day', () => {
    expect(formatReceiptNumber('440306001', '2026-11-24', 7)).toBe('440306001-20261124-0007');
    expect(formatReceiptNumber('440306001', '2026-11-24', 9999)).toBe('440306001-20261124-9999');
    expect(formatReceiptNumber('440306001', '2026-11-24', 10000)).toBe('440306001-20261124-10000');
    expect(formatReceiptNumber('440306001001', '2026-11-24', 123456)).toBe('440306001001-20261124-123456');
  });

  it('are accepted back from the applicant however long the sequence grew', () => {
    for (const receipt of [
      '440306001-20261124-0007',
      '440306001-20261124-10000',
      '440306001001-20261124-123456',
    ])
      expect(TrackCaseDto.schema.safeParse({ receipt, phoneLast4: '1234' }).success).toBe(true);
    for (const receipt of ['440306001-20261124-007', 'x'.repeat(20), '440306001-2026112-0007'])
      expect(TrackCaseDto.schema.safeParse({ receipt, phoneLast4: '1234' }).success).toBe(false);
  });

  it('carry the office’s China day, also between midnight and 08:00 when UTC is still on the day before', () => {
    expect(chinaDay(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(chinaDay(new Date('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
  });

  // A receipt number travels in logs, audit entries and texts, where every scanner looks for ID
  // and phone numbers; a receipt mistaken for one would be masked or refused.
  it('are never mistaken for an ID or phone number: every office, every day of a year, sequences up to 999,999', () => {
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
