import { validateResidentId } from './resident-id';
import { generatePhone, generateResidentId, SAMPLE_REGION_CODES } from './synthetic-pii';

describe('generateResidentId', () => {
  it('builds the number from the given parts', () => {
    const id = generateResidentId({ regionCode: '440309', birthDate: '1988-08-08', sequence: 42 });
    expect(id.slice(0, 17)).toBe('44030919880808042');
    expect(validateResidentId(id)).toMatchObject({ ok: true, sex: 'female', birthDate: '1988-08-08' });
  });

  it('defaults to a sample district and honours the requested sex', () => {
    for (let i = 0; i < 50; i++) {
      const id = generateResidentId({ sex: 'male' });
      expect(Object.keys(SAMPLE_REGION_CODES)).toContain(id.slice(0, 6));
      expect(validateResidentId(id)).toMatchObject({ ok: true, sex: 'male' });
    }
  });

  it('is reproducible with a given random source', () => {
    const fixed = () => 0.5;
    expect(generateResidentId({ random: fixed })).toBe(generateResidentId({ random: fixed }));
    expect(generatePhone(fixed)).toBe('16555555555');
  });

  it('refuses options no valid number can have', () => {
    expect(() => generateResidentId({ sequence: 1000 })).toThrow(/0 to 999/);
    expect(() => generateResidentId({ sequence: 2, sex: 'male' })).toThrow(/is for a female/);
    expect(() => generateResidentId({ regionCode: '710000' })).toThrow(/region/);
    expect(() => generateResidentId({ birthDate: '1899-12-31' })).toThrow(/birth_date/);
    expect(() => generateResidentId({ birthDate: '19900101' })).toThrow(/YYYY-MM-DD/);
  });
});
