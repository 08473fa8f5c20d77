import { generatePhone, generateResidentId, maskPhone, maskResidentId } from '@tongban/pii';
import fc from 'fast-check';
import { scrubLogLine, scrubPersonalData } from './personal-data-scrubber';

const ID = '11010519491231002X';
const PHONE = '13812345678';

describe('scrubPersonalData', () => {
  it.each([
    [`applicant ${ID} filed`, 'applicant 110105********002X filed'],
    [`id=${ID.toLowerCase()}&x=1`, 'id=110105********002X&x=1'],
    ['110105 19491231 002X', '110105********002X'],
    ['110105-19491231-002X.', '110105********002X.'],
    [`call ${PHONE}`, 'call 138****5678'],
    [`电话${PHONE}，谢谢`, '电话138****5678，谢谢'],
    ['+8613812345678', '138****5678'],
    ['(+86 138 1234 5678)', '(138****5678)'],
    ['tel:0086-138-1234-5678', 'tel:138****5678'],
    [`phone=${PHONE}&id=${ID}`, 'phone=138****5678&id=110105********002X'],
    [
      `Error: no case for ${ID}\n    at lookup (case.ts:1:1)`,
      'Error: no case for 110105********002X\n    at lookup (case.ts:1:1)',
    ],
  ])('masks %p', (text, expected) => {
    expect(scrubPersonalData(text)).toBe(expected);
  });

  it.each([
    '2025-06-15T12:00:00.000Z',
    'order 1234567890',
    'epoch 1718452800000',
    '12345678901234567890',
    'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    'trace 4bf92f3577b34da6a3ce92913812345678e4736',
    'case 0f6f8a2e-43c1-4b1a-9d3e-a13812345678',
    'parcel d2713ebb-306e-482d-96ef-b16716078582 picked up',
    'parcel 3439f4d6-a192-4669-8854-3247f1264632 picked up',
    'parcel TB138123456789',
    'receipt 440306001-20261204-13812',
    'phone 12812345678',
  ])('leaves %p alone', (text) => {
    expect(scrubPersonalData(text)).toBe(text);
  });

  // Digits glued to other digits cannot be told apart from any long number, so the numbers are
  // separated by at least one other character.
  it('leaves no generated number readable in any surrounding text (property)', () => {
    const surrounding = fc.string({
      unit: fc.constantFrom(' ', ':', '=', '"', '\n', ',', '电', 'é', '/', '?', '&'),
      minLength: 1,
    });
    fc.assert(
      fc.property(surrounding, surrounding, fc.integer(), (before, after, seed) => {
        let state = seed;
        const random = () => ((state = (state * 1103515245 + 12345) | 0) >>> 0) / 2 ** 32;
        const [id, phone] = [generateResidentId({ random }), generatePhone(random)];
        const scrubbed = scrubPersonalData(`${before}${id}${after}${phone}${before}`);
        expect(scrubbed).not.toContain(id);
        expect(scrubbed).not.toContain(phone);
        expect(scrubbed).toContain(maskResidentId(id));
        expect(scrubbed).toContain(maskPhone(phone));
      }),
    );
  });
});

describe('scrubLogLine', () => {
  it('returns lines without candidates untouched', () => {
    const line = '{"level":"info","time":"2025-06-15T12:00:00.000Z","msg":"ready"}\n';
    expect(scrubLogLine(line)).toBe(line);
  });

  it('scrubs strings, numbers and keys at any depth and keeps the line valid JSON', () => {
    const line = `${JSON.stringify({
      msg: `lookup ${ID}`,
      a: { b: { c: { d: { e: { contact: Number(PHONE), note: `line1\n${ID}` } } } } },
      list: [`+86 ${PHONE}`],
      [PHONE]: true,
    })}\n`;
    const scrubbed = scrubLogLine(line);
    expect(scrubbed.endsWith('\n')).toBe(true);
    expect(JSON.parse(scrubbed)).toEqual({
      msg: 'lookup 110105********002X',
      a: { b: { c: { d: { e: { contact: '138****5678', note: 'line1\n110105********002X' } } } } },
      list: ['138****5678'],
      '138****5678': true,
    });
  });

  it('leaves Kafka positions alone under their keys, and masks the same digits anywhere else', () => {
    const line = JSON.stringify({ offset: PHONE, highWatermark: Number(PHONE), note: PHONE });
    expect(JSON.parse(scrubLogLine(line))).toEqual({
      offset: PHONE,
      highWatermark: Number(PHONE),
      note: '138****5678',
    });
    expect(JSON.parse(scrubLogLine(JSON.stringify({ offset: `call ${PHONE}` })))).toEqual({
      offset: 'call 138****5678',
    });
  });

  it('scrubs a line that is not JSON as text', () => {
    expect(scrubLogLine(`plain ${PHONE}\n`)).toBe('plain 138****5678\n');
  });
});
