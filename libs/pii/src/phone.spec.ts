import fc from 'fast-check';
import { isValidPhone, normalizePhone } from './phone';
import { generatePhone } from './synthetic-pii';

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['86-138-1234-5678', '13812345678'],
    ['0086 19912345678', '19912345678'],
    [' 138 1234 5678 ', '13812345678'],
  ])('reads %p as %p', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each([
    '12812345678',
    '1381234567',
    '138123456789',
    '+85213812345678',
    '0755-12345678',
    '138.1234.5678',
    '',
  ])('rejects %p', (input) => {
    expect(normalizePhone(input)).toBeNull();
    expect(isValidPhone(input)).toBe(false);
  });

  it('accepts every generated number, with or without +86 and separators (property)', () => {
    fc.assert(
      fc.property(
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        (stream) => {
          const phone = generatePhone(() => stream.next().value as number);
          expect(phone).toMatch(/^1[3-9]\d{9}$/);
          expect(normalizePhone(phone)).toBe(phone);
          expect(normalizePhone(`+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`)).toBe(
            phone,
          );
        },
      ),
    );
  });
});
