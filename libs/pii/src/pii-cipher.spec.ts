import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { PiiCipher, PiiDecryptionError } from './pii-cipher';
import { generatePhone, generateResidentId } from './synthetic-pii';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const hashKey = randomBytes(32);
const cipher = new PiiCipher({ encryptionKeys: [k1], hashKey });

describe('PiiCipher encryption', () => {
  it('writes v1.<keyId>.<base64url> with a fresh IV each time', () => {
    const id = '11010519491231002X';
    const first = cipher.encrypt(id);
    expect(first).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    expect(first).not.toContain(id);
    expect(cipher.encrypt(id)).not.toBe(first);
  });

  it('decrypts what it encrypted, for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (plaintext) => {
        expect(cipher.decrypt(cipher.encrypt(plaintext))).toBe(plaintext);
      }),
    );
  });

  it('detects any flipped bit in the payload (property)', () => {
    const token = cipher.encrypt(generateResidentId());
    const payload = Buffer.from(token.split('.')[2], 'base64url');
    fc.assert(
      fc.property(fc.nat(payload.length - 1), fc.integer({ min: 0, max: 7 }), (index, bit) => {
        const tampered = Buffer.from(payload);
        tampered[index] ^= 1 << bit;
        expect(() => cipher.decrypt(`v1.k1.${tampered.toString('base64url')}`)).toThrow(
          new PiiDecryptionError(
            'PII ciphertext failed authentication with key "k1": it was altered or truncated',
          ),
        );
      }),
    );
  });

  it('names the problem with a malformed, truncated or unknown-key ciphertext', () => {
    const token = cipher.encrypt('13812345678');
    expect(() => cipher.decrypt('13812345678')).toThrow(/malformed PII ciphertext/);
    expect(() => cipher.decrypt(token.replace('v1.', 'v2.'))).toThrow(/malformed PII ciphertext/);
    expect(() => cipher.decrypt(token.slice(0, 20))).toThrow(/too short/);
    expect(() => cipher.decrypt(token.slice(0, -2))).toThrow(PiiDecryptionError);
    expect(() => cipher.decrypt(token.replace('.k1.', '.k9.'))).toThrow(/unknown PII key id "k9"/);
  });

  it('binds the key id: a ciphertext relabelled with another known key fails', () => {
    const both = new PiiCipher({ encryptionKeys: [k2, k1], hashKey });
    const token = both.encrypt('13812345678');
    expect(() => both.decrypt(token.replace('.k2.', '.k1.'))).toThrow(/failed authentication with key "k1"/);
  });

  it('keeps reading old values after a rotation and says which need re-encrypting', () => {
    const old = cipher.encrypt('13812345678');
    const rotated = new PiiCipher({ encryptionKeys: [k2, k1], hashKey });
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.decrypt(old)).toBe('13812345678');
    expect(rotated.needsReencryption(old)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('13812345678'))).toBe(false);
  });

  it('refuses bad keys and never exposes them when serialised', () => {
    expect(() => new PiiCipher({ encryptionKeys: [], hashKey })).toThrow(/at least one/);
    expect(() => new PiiCipher({ encryptionKeys: [{ id: 'k1', key: randomBytes(16) }], hashKey })).toThrow(
      /must be 32 bytes, got 16/,
    );
    expect(() => new PiiCipher({ encryptionKeys: [k1, k1], hashKey })).toThrow(/appears twice/);
    expect(() => new PiiCipher({ encryptionKeys: [{ id: 'k.1', key: k1.key }], hashKey })).toThrow(/key id/);
    expect(() => new PiiCipher({ encryptionKeys: [k1], hashKey: randomBytes(31) })).toThrow(
      /at least 32 bytes/,
    );
    expect(JSON.stringify(cipher)).toBe('{}');
  });
});

describe('PiiCipher lookup hashes', () => {
  const randomSourceArb = fc
    .infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
    .map((stream) => () => stream.next().value as number);

  it('hashes a phone number the same however it is written (property)', () => {
    fc.assert(
      fc.property(randomSourceArb, (random) => {
        const phone = generatePhone(random);
        const hash = cipher.hashPhone(phone);
        expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(cipher.hashPhone(phone)).toBe(hash);
        expect(cipher.hashPhone(`+86${phone}`)).toBe(hash);
        expect(cipher.hashPhone(`+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`)).toBe(
          hash,
        );
        expect(cipher.hashPhone(`86-${phone}`)).toBe(hash);
      }),
    );
  });

  it('hashes a resident ID over its canonical form (property)', () => {
    fc.assert(
      fc.property(randomSourceArb, (random) => {
        const id = generateResidentId({ random });
        const hash = cipher.hashResidentId(id);
        expect(cipher.hashResidentId(id.toLowerCase())).toBe(hash);
        expect(cipher.hashResidentId(`${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`)).toBe(hash);
      }),
    );
  });

  it('gives different values different hashes, and depends on the key (property)', () => {
    const otherKey = new PiiCipher({ encryptionKeys: [k1], hashKey: randomBytes(32) });
    fc.assert(
      fc.property(randomSourceArb, randomSourceArb, (first, second) => {
        const [a, b] = [generatePhone(first), generatePhone(second)];
        fc.pre(a !== b);
        expect(cipher.hashPhone(a)).not.toBe(cipher.hashPhone(b));
        expect(otherKey.hashPhone(a)).not.toBe(cipher.hashPhone(a));
      }),
    );
  });

  it('refuses to hash what is not a phone or ID number', () => {
    expect(() => cipher.hashPhone('Zhang San')).toThrow(/mainland mobile number/);
    expect(() => cipher.hashResidentId('13812345678')).toThrow(/18-character resident ID/);
  });
});
