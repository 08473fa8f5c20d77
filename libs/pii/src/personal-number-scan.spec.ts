import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { containsPersonalNumber, findPersonalNumbers, replacePersonalNumbers } from './personal-number-scan';
import { PiiCipher } from './pii-cipher';
import { generatePhone, generateResidentId } from './synthetic-pii';

// The UUID that made `POST /courier/pickups` answer 500 for good: its last group is `b` and the
// valid mobile number 16716078582.
const COLLIDING_UUID = 'd2713ebb-306e-482d-96ef-b16716078582';
// Across groups it can also hold a phone number written in groups: 192-4669-8854.
const GROUP_COLLIDING_UUID = '3439f4d6-a192-4669-8854-3247f1264632';
const ID = '11010519491231002X';
const PHONE = '13812345678';

const seeded = (seed: number) => {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) | 0) >>> 0) / 2 ** 32;
};

describe('findPersonalNumbers: identifiers are never personal numbers', () => {
  it('does not judge UUIDs that hold a valid mobile number, plain or in groups', () => {
    expect(/(?<!\d)1[3-9]\d{9}(?!\d)/.test(COLLIDING_UUID)).toBe(true);
    expect(findPersonalNumbers(COLLIDING_UUID)).toEqual([]);
    expect(findPersonalNumbers(GROUP_COLLIDING_UUID)).toEqual([]);
    expect(findPersonalNumbers(`parcel ${COLLIDING_UUID} picked up`)).toEqual([]);
    expect(
      findPersonalNumbers(JSON.stringify({ parcelIds: [COLLIDING_UUID, COLLIDING_UUID.toUpperCase()] })),
    ).toEqual([]);
  });

  it('finds nothing in 2,000,000 random UUIDs, though hundreds hold a valid mobile number', () => {
    const runs = 2_000_000;
    let holdingPhoneShapedRun = 0;
    const judged: string[] = [];
    for (let i = 0; i < runs; i++) {
      const uuid = randomUUID();
      if (/\d{11}/.test(uuid)) holdingPhoneShapedRun++;
      if (containsPersonalNumber(uuid)) judged.push(uuid);
    }
    expect(judged).toEqual([]);
    // 0.03 % of UUIDs would have been refused by the old check; the test is only meaningful if
    // it met such UUIDs.
    expect(holdingPhoneShapedRun).toBeGreaterThan(100);
  });

  it.each([
    ['trace ids (32 hex)', () => randomBytes(16).toString('hex')],
    ['span ids (16 hex)', () => randomBytes(8).toString('hex')],
    ['SHA-256 hashes', () => createHash('sha256').update(randomBytes(8)).digest('hex')],
    ['upper-case hex', () => randomBytes(16).toString('hex').toUpperCase()],
    ['base64url tokens (page cursors, idempotency keys)', () => randomBytes(33).toString('base64url')],
    ['epoch milliseconds', () => String(1_600_000_000_000 + Math.floor(Math.random() * 4e11))],
    ['ISO timestamps', () => new Date(Math.floor(Math.random() * 4e12)).toISOString()],
    ['decimal fractions', () => (Math.random() / 7).toFixed(12)],
    [
      'W3C traceparent headers',
      () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    ],
  ])('finds nothing in 200,000 %s', (_name, make) => {
    const judged: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const value = make();
      if (containsPersonalNumber(value)) judged.push(value);
    }
    expect(judged).toEqual([]);
  });

  it('finds nothing in 20,000 PII ciphertexts and lookup hashes of real-looking numbers', () => {
    const cipher = new PiiCipher({
      encryptionKeys: [{ id: 'k1', key: randomBytes(32) }],
      hashKey: randomBytes(32),
    });
    const random = seeded(7);
    for (let i = 0; i < 10_000; i++) {
      const [id, phone] = [generateResidentId({ random }), generatePhone(random)];
      const stored = [
        cipher.encrypt(id),
        cipher.encrypt(phone),
        cipher.hashResidentId(id),
        cipher.hashPhone(phone),
      ];
      expect(stored.filter(containsPersonalNumber)).toEqual([]);
    }
  });
});

describe('findPersonalNumbers: numbers people type are found', () => {
  it.each([
    [`applicant ${ID} filed`, [['resident-id', ID]]],
    [
      `身份证号${ID}，电话${PHONE}。`,
      [
        ['resident-id', ID],
        ['phone', PHONE],
      ],
    ],
    ['110105 19491231 002X', [['resident-id', '110105 19491231 002X']]],
    ['110105-19491231-002x.', [['resident-id', '110105-19491231-002x']]],
    [`Tel${PHONE}`, [['phone', PHONE]]],
    [`ID${ID}`, [['resident-id', ID]]],
    [`phone_${PHONE}`, [['phone', PHONE]]],
    ['(+86 138 1234 5678)', [['phone', '+86 138 1234 5678']]],
    ['tel:0086-138-1234-5678', [['phone', '0086-138-1234-5678']]],
    [`1986 ${PHONE}`, [['phone', PHONE]]],
    [`{"mobile":${PHONE}}`, [['phone', PHONE]]],
    [
      `?phone=${PHONE}&id=${ID}`,
      [
        ['phone', PHONE],
        ['resident-id', ID],
      ],
    ],
    [`No.${PHONE}`, [['phone', PHONE]]],
  ])('in %p', (text, expected) => {
    expect(findPersonalNumbers(text).map((m) => [m.kind, text.slice(m.start, m.end)])).toEqual(expected);
  });

  it.each([
    ['a longer number', `9${PHONE}`],
    ['a fraction', `0.${PHONE}`],
    ['an invalid ID checksum', '110105194912310021'],
    ['a phone with a second digit of 2', '12812345678'],
    ['a hex word', `a${PHONE}`],
  ])('not in %s', (_name, text) => {
    expect(findPersonalNumbers(text)).toEqual([]);
  });

  // Digits glued to other digits cannot be told from any long number, and hex letters glued to
  // them from an identifier; so the numbers are separated from the text around them by anything
  // else a person may type.
  it('finds every generated number, with its kind, in any surrounding free text (property)', () => {
    const unit = fc.constantFrom(
      ' ',
      ':',
      '=',
      '"',
      '\n',
      ',',
      '，',
      '号',
      '电',
      'é',
      '/',
      '?',
      '&',
      '(',
      'T',
      'l',
      '_',
    );
    const surrounding = fc.string({ unit, minLength: 1 });
    fc.assert(
      fc.property(surrounding, surrounding, surrounding, fc.integer(), (before, between, after, seed) => {
        const random = seeded(seed);
        const [id, phone] = [generateResidentId({ random }), generatePhone(random)];
        const text = `${before}${id}${between}${phone}${after}`;
        const found = findPersonalNumbers(text).map((m) => [m.kind, text.slice(m.start, m.end)]);
        expect(found).toEqual([
          ['resident-id', id],
          ['phone', phone],
        ]);
      }),
      { numRuns: 20_000 },
    );
  });

  it('replaces exactly the numbers and leaves identifiers beside them as they were', () => {
    const text = `case ${COLLIDING_UUID} applicant ${ID} phone ${PHONE} trace 4bf92f3577b34da6a3ce92913812345678e4736`;
    expect(replacePersonalNumbers(text, (_value, kind) => `<${kind}>`)).toBe(
      `case ${COLLIDING_UUID} applicant <resident-id> phone <phone> trace 4bf92f3577b34da6a3ce92913812345678e4736`,
    );
    expect(replacePersonalNumbers('nothing here', () => 'x')).toBe('nothing here');
  });
});
