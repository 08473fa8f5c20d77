import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { normalizePhone } from './phone';
import { normalizeResidentId } from './resident-id';

export interface PiiKey {
  /** Names the key inside every ciphertext, so old values stay readable after a rotation. */
  readonly id: string;
  /** 32 bytes (AES-256). */
  readonly key: Buffer;
}

export interface PiiCipherOptions {
  /** The first key encrypts; all of them decrypt. */
  readonly encryptionKeys: readonly PiiKey[];
  /** At least 32 bytes; separate from the encryption keys so a lookup hash reveals nothing about them. */
  readonly hashKey: Buffer;
}

/** Raised when a stored value cannot be decrypted; the message never contains the value. */
export class PiiDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiDecryptionError';
  }
}

export const PII_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * AES-256-GCM for personal data at rest and HMAC-SHA256 for finding it again.
 *
 * A ciphertext reads `v1.<keyId>.<base64url(iv | tag | ciphertext)>`, with a fresh 12-byte IV
 * per value and the `v1.<keyId>` prefix authenticated as associated data, so neither the payload
 * nor the key it names can be altered unnoticed.
 */
export class PiiCipher {
  // Private fields are invisible to JSON.stringify and to loggers that walk an object.
  readonly #current: PiiKey;
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #hashKey: Buffer;

  constructor(options: PiiCipherOptions) {
    const [current] = options.encryptionKeys;
    if (!current) throw new RangeError('PiiCipher needs at least one encryption key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of options.encryptionKeys) {
      if (!PII_KEY_ID.test(id)) throw new RangeError(`PII key id "${id}" must match ${PII_KEY_ID}`);
      if (key.length !== 32) throw new RangeError(`PII key "${id}" must be 32 bytes, got ${key.length}`);
      if (keys.has(id)) throw new RangeError(`PII key id "${id}" appears twice`);
      keys.set(id, Buffer.from(key));
    }
    if (options.hashKey.length < 32) {
      throw new RangeError(`the PII hash key must be at least 32 bytes, got ${options.hashKey.length}`);
    }
    this.#keys = keys;
    this.#current = { id: current.id, key: keys.get(current.id) as Buffer };
    this.#hashKey = Buffer.from(options.hashKey);
  }

  /** The key new ciphertexts are made with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  encrypt(plaintext: string): string {
    const header = `${VERSION}.${this.#current.id}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(header, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
    return `${header}.${payload.toString('base64url')}`;
  }

  decrypt(token: string): string {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION || !BASE64URL.test(parts[2])) {
      throw new PiiDecryptionError(`malformed PII ciphertext: expected ${VERSION}.<keyId>.<base64url>`);
    }
    const [version, keyId, encoded] = parts;
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new PiiDecryptionError(`unknown PII key id "${keyId}": is it still in PII_ENCRYPTION_KEYS?`);
    }
    const payload = Buffer.from(encoded, 'base64url');
    if (payload.length < IV_BYTES + TAG_BYTES) {
      throw new PiiDecryptionError('malformed PII ciphertext: too short');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(`${version}.${keyId}`, 'utf8'));
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      const plaintext = Buffer.concat([
        decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return plaintext.toString('utf8');
    } catch {
      throw new PiiDecryptionError(
        `PII ciphertext failed authentication with key "${keyId}": it was altered or truncated`,
      );
    }
  }

  /** Whether a stored ciphertext was made with an older key and should be re-encrypted. */
  needsReencryption(token: string): boolean {
    return token.split('.')[1] !== this.#current.id;
  }

  /**
   * The lookup hash of a resident ID number over its canonical form (separators dropped, `x`
   * upper-cased), so the same person is found however the number was typed.
   */
  hashResidentId(value: string): string {
    const normalized = normalizeResidentId(value);
    if (normalized === null) throw new TypeError('hashResidentId expects an 18-character resident ID number');
    return this.#hmac('resident-id', normalized);
  }

  /** The lookup hash of a mobile number over its 11 digits, with or without +86 and separators. */
  hashPhone(value: string): string {
    const normalized = normalizePhone(value);
    if (normalized === null) throw new TypeError('hashPhone expects a mainland mobile number');
    return this.#hmac('phone', normalized);
  }

  // The kind is hashed too: equal digits of different kinds must not collide.
  #hmac(kind: string, normalized: string): string {
    return createHmac('sha256', this.#hashKey).update(`${kind}:${normalized}`, 'utf8').digest('base64url');
  }
}
