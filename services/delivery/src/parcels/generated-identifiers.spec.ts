import { findPersonalNumbers } from '@tongban/pii';
import { bundledReferenceFiles, parseReferenceData } from '@tongban/reference-data';
import { newTrackingNumber } from '../decisions/parcel-creation.service';
import { courierReceiptNumber } from './courier-receipt-number';
import { generatePickupCode } from './pickup-code';

// Tracking numbers, courier receipts and pickup codes travel in texts to applicants, logs and
// audit entries, where every scanner looks for ID and phone numbers; one mistaken for them
// would be masked or refused.
describe('identifiers delivery generates are never mistaken for ID or phone numbers', () => {
  const judged = (values: Iterable<string>) =>
    [...values].filter((value) => findPersonalNumbers(`运单号${value}，`).length > 0);

  it('tracking numbers (200,000)', () => {
    const numbers = Array.from({ length: 200_000 }, newTrackingNumber);
    expect(numbers.every((number) => /^TB\d{12}$/.test(number))).toBe(true);
    expect(judged(numbers)).toEqual([]);
  });

  it('pickup codes (200,000)', () => {
    expect(judged(Array.from({ length: 200_000 }, generatePickupCode))).toEqual([]);
  });

  it('courier receipt numbers: every office, every day of a year, China day', () => {
    const offices = parseReferenceData(bundledReferenceFiles())
      .offices()
      .map((office) => office.id);
    const numbers: string[] = [];
    for (const office of offices)
      for (let day = 0; day < 366; day++)
        numbers.push(courierReceiptNumber(office, new Date(Date.UTC(2026, 0, 1, 16, 30) + day * 86_400_000)));
    expect(numbers[0]).toMatch(/^HD-\d{9,12}-20260102-[0-9A-F]{6}$/);
    expect(judged(numbers)).toEqual([]);
  });
});
