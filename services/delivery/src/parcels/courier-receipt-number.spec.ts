import { courierReceiptNumber } from './courier-receipt-number';

describe('courier receipt numbers', () => {
  const random = Buffer.from([0xab, 0x01, 0xff]);

  it('carry the China date, also between 00:00 and 08:00 China time', () => {
    expect(courierReceiptNumber('440306001', new Date('2026-11-23T16:05:00Z'), random)).toBe(
      'HD-440306001-20261124-AB01FF',
    );
    expect(courierReceiptNumber('440306001', new Date('2026-11-24T15:59:00Z'), random)).toBe(
      'HD-440306001-20261124-AB01FF',
    );
  });
});
