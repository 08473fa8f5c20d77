import { chinaDay, formatReceiptNumber } from './receipt-number';
import { TrackCaseDto } from './case-followups.dto';

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
});
