import { randomBytes } from 'node:crypto';
import {
  checkIdLast4,
  checkPickupCode,
  generatePickupCode,
  hashPickupCode,
  PICKUP_CODE,
} from './pickup-code';

const key = randomBytes(32);
const parcel = '00000000-0000-4000-8000-0000000000c1';
const now = new Date('2026-11-24T02:00:00Z');
const later = new Date('2026-11-25T02:00:00Z');

describe('pickup codes', () => {
  it('are six random digits', () => {
    const codes = Array.from({ length: 200 }, generatePickupCode);
    for (const code of codes) expect(code).toMatch(PICKUP_CODE);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it('are stored as a keyed hash bound to the parcel', () => {
    const hash = hashPickupCode(key, parcel, '123456');
    expect(hash).not.toContain('123456');
    expect(hashPickupCode(key, parcel, '123456')).toBe(hash);
    expect(hashPickupCode(key, '00000000-0000-4000-8000-0000000000c2', '123456')).not.toBe(hash);
    expect(hashPickupCode(randomBytes(32), parcel, '123456')).not.toBe(hash);
  });

  it('accept the right code before it expires, and nothing else', () => {
    const stored = { hash: hashPickupCode(key, parcel, '123456'), expiresAt: later, failures: 0 };
    expect(checkPickupCode(stored, hashPickupCode(key, parcel, '123456'), now, 5)).toBe('ok');
    expect(checkPickupCode(stored, hashPickupCode(key, parcel, '123457'), now, 5)).toBe('wrong');
    expect(checkPickupCode(stored, hashPickupCode(key, parcel, '123456'), later, 5)).toBe('expired');
    expect(checkPickupCode({ hash: null, expiresAt: null, failures: 0 }, 'x', now, 5)).toBe('no_code');
  });

  it('lock after the allowed failures, even for the right code', () => {
    const stored = { hash: hashPickupCode(key, parcel, '123456'), expiresAt: later, failures: 5 };
    expect(checkPickupCode(stored, hashPickupCode(key, parcel, '123456'), now, 5)).toBe('locked');
    expect(checkPickupCode({ ...stored, failures: 4 }, hashPickupCode(key, parcel, '123456'), now, 5)).toBe(
      'ok',
    );
  });

  it('check the ID number’s last four characters against the mask, x or X alike', () => {
    expect(checkIdLast4('440306********002X', '002x', 0, 5)).toBe('ok');
    expect(checkIdLast4('440306********002X', '0021', 0, 5)).toBe('wrong');
    expect(checkIdLast4(null, '0021', 0, 5)).toBe('no_code');
    expect(checkIdLast4('440306********002X', '002X', 5, 5)).toBe('locked');
  });
});
