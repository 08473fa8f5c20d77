import fc from 'fast-check';
import {
  isValidRegionCode,
  isValidResidentId,
  normalizeResidentId,
  residentIdCheckChar,
  validateResidentId,
} from './resident-id';
import { generateResidentId, SAMPLE_REGION_CODES } from './synthetic-pii';

const REGION_CODES = [...Object.keys(SAMPLE_REGION_CODES), '650102', '810000', '820000', '830000'];

/** Any valid number: region, birth date from 1900 to 2020 and sequence all vary. */
const validResidentIdArb = fc
  .record({
    regionCode: fc.constantFrom(...REGION_CODES),
    birthDate: fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2020-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 10)),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map((options) => generateResidentId(options));

describe('residentIdCheckChar', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the GB 11643 examples', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(/17 digits/);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(/17 digits/);
  });
});

describe('validateResidentId', () => {
  const today = new Date('2025-06-15T12:00:00Z');

  it('accepts a valid number and reads region, birth date and sex from it', () => {
    expect(validateResidentId('11010519491231002X', { today })).toEqual({
      ok: true,
      value: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    const male = generateResidentId({ regionCode: '440306', birthDate: '1990-02-28', sequence: 123 });
    expect(validateResidentId(male)).toMatchObject({ ok: true, sex: 'male', regionCode: '440306' });
  });

  it.each([
    ['length', '11010519491231002'],
    ['length', '11010519491231002X '],
    ['format', '1101051949123100 X'],
    ['format', 'X10105194912310021'],
    ['lowercase_x', '11010519491231002x'],
    ['region', generateResidentIdUnchecked('710000', '19800101', '001')],
    ['region', generateResidentIdUnchecked('990101', '19800101', '001')],
    ['region', generateResidentIdUnchecked('810101', '19800101', '001')],
    ['birth_date', generateResidentIdUnchecked('110105', '19800230', '001')],
    ['birth_date', generateResidentIdUnchecked('110105', '19801301', '001')],
    ['birth_date', '440524188001010014'],
    ['birth_date', generateResidentIdUnchecked('110105', '20250616', '001')],
    ['checksum', '110105194912310021'],
  ])('rejects with reason %s: %s', (reason, value) => {
    const result = validateResidentId(value, { today });
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok || result.message).not.toContain(value);
  });

  it('tells the user that the X must be upper-case', () => {
    expect(validateResidentId('11010519491231002x')).toMatchObject({
      message: expect.stringMatching(/upper-case X/),
    });
  });

  it('takes "today" as the date in China, where birth dates are written', () => {
    const born = generateResidentId({ regionCode: '440303', birthDate: '2025-06-16' });
    // 16:30 UTC on the 15th is already the 16th in Shenzhen.
    expect(validateResidentId(born, { today: new Date('2025-06-15T16:30:00Z') }).ok).toBe(true);
    expect(validateResidentId(born, { today: new Date('2025-06-15T15:30:00Z') })).toMatchObject({
      reason: 'birth_date',
    });
  });

  it('accepts every generated number (property)', () => {
    fc.assert(fc.property(validResidentIdArb, (id) => isValidResidentId(id)));
  });

  it('rejects a number with any single digit changed to any other digit (property)', () => {
    fc.assert(
      fc.property(validResidentIdArb, fc.nat(17), fc.integer({ min: 0, max: 9 }), (id, position, digit) => {
        fc.pre(id.charAt(position) !== String(digit));
        const changed = `${id.slice(0, position)}${digit}${id.slice(position + 1)}`;
        expect(validateResidentId(changed).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isValidRegionCode', () => {
  it('knows the provinces and the residence-permit codes only', () => {
    expect(isValidRegionCode('440309')).toBe(true);
    expect(isValidRegionCode('650102')).toBe(true);
    expect(isValidRegionCode('830000')).toBe(true);
    expect(isValidRegionCode('710000')).toBe(false);
    expect(isValidRegionCode('830100')).toBe(false);
    expect(isValidRegionCode('160101')).toBe(false);
    expect(isValidRegionCode('44030')).toBe(false);
  });
});

describe('normalizeResidentId', () => {
  it('drops separators and upper-cases x, without validating', () => {
    expect(normalizeResidentId(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(normalizeResidentId('110105-19491231-0021')).toBe('110105194912310021');
    expect(normalizeResidentId('1101051949123100')).toBeNull();
  });
});

/** A number with a correct check character but whatever region and date it is given. */
function generateResidentIdUnchecked(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}
