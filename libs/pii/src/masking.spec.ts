import fc from 'fast-check';
import { maskPhone, maskResidentId } from './masking';
import { generatePhone, generateResidentId, type RandomSource } from './synthetic-pii';

const randomSourceArb = fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(
  (stream): RandomSource =>
    () =>
      stream.next().value as number,
);

describe('maskResidentId', () => {
  it('keeps the region code and the last four characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });

  it('masks short values whole', () => {
    expect(maskResidentId('12345')).toBe('*****');
  });

  it('never shows a character outside the kept ones, for any number (property)', () => {
    fc.assert(
      fc.property(randomSourceArb, (random) => {
        const id = generateResidentId({ random });
        expect(maskResidentId(id)).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
      }),
    );
  });

  it('shows at most the first 6 and last 4 characters of any string (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const masked = maskResidentId(value);
        expect(masked).toHaveLength(value.length);
        [...masked].forEach((char, index) => {
          const kept = index < 6 || index >= value.length - 4;
          if (!kept || value.length < 15) expect(char).toBe('*');
        });
      }),
    );
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
  });

  it('masks what is not a mobile number whole', () => {
    expect(maskPhone('0755-1234')).toBe('*********');
  });

  it('hides the middle four digits of any number (property)', () => {
    fc.assert(
      fc.property(randomSourceArb, (random) => {
        const phone = generatePhone(random);
        expect(maskPhone(phone)).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      }),
    );
  });
});
