import { generatePhone, generateResidentId } from '@tongban/pii';
import { freeText, maskedFreeText } from './free-text';

describe('freeText', () => {
  const schema = freeText(100);

  it.each([
    ['an ID number', `申请人${generateResidentId()}`, /resident ID number/],
    ['a phone number', `联系电话 ${generatePhone()}`, /phone number/],
    ['a phone number in groups', '请回电 138 1234 5678', /phone number/],
  ])('refuses %s and says why', (_name, value, reason) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(reason);
  });

  it.each([
    '宝安区新安街道新安一路15号3栋502',
    '材料 d2713ebb-306e-482d-96ef-b16716078582 已核验',
    '深宝人社〔2026〕00123号',
    '运单号 TB138123456789',
  ])('keeps %p', (value) => {
    expect(schema.parse(`  ${value} `)).toBe(value);
  });

  it('refuses empty text with the message given', () => {
    expect(freeText(10, 'must explain').safeParse('  ').error?.issues[0]?.message).toBe('must explain');
  });
});

describe('maskedFreeText', () => {
  it('masks the numbers in an applicant comment and keeps the rest', () => {
    expect(maskedFreeText(500).parse('办得很快，有事打13812345678')).toBe('办得很快，有事打138****5678');
  });
});
