import { randomBytes } from 'node:crypto';
import { createPiiCipher, piiEnvSchema } from './pii-env.schema';

const base64Key = (bytes = 32) => randomBytes(bytes).toString('base64');

function problems(env: Record<string, string | undefined>): string[] {
  const result = piiEnvSchema.safeParse(env);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('piiEnvSchema', () => {
  it('reads the key list, current key first, and the hash key', () => {
    const [current, previous, hash] = [base64Key(), base64Key(), base64Key(48)];
    const env = piiEnvSchema.parse({
      PII_ENCRYPTION_KEYS: `k2:${current}, k1:${previous}`,
      PII_HASH_KEY: hash,
    });
    expect(env.PII_ENCRYPTION_KEYS.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(env.PII_ENCRYPTION_KEYS[0].key.equals(Buffer.from(current, 'base64'))).toBe(true);
    expect(env.PII_HASH_KEY).toHaveLength(48);

    const cipher = createPiiCipher(env);
    expect(cipher.currentKeyId).toBe('k2');
    expect(cipher.decrypt(cipher.encrypt('13812345678'))).toBe('13812345678');
  });

  it('accepts URL-safe base64 without padding', () => {
    const env = piiEnvSchema.parse({
      PII_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64url')}`,
      PII_HASH_KEY: randomBytes(32).toString('base64url'),
    });
    expect(env.PII_ENCRYPTION_KEYS[0].key).toHaveLength(32);
  });

  it('says what is expected when the variables are missing', () => {
    expect(problems({})).toEqual([
      'PII_ENCRYPTION_KEYS: required: a comma-separated list of <keyId>:<base64 of 32 bytes>, the first one current',
      'PII_HASH_KEY: required: base64 of at least 32 random bytes',
    ]);
  });

  it('names each bad entry without echoing key material', () => {
    const secret = base64Key(16);
    const found = problems({
      PII_ENCRYPTION_KEYS: `k1:${base64Key()},${secret},k2:${secret},k1:${base64Key()}`,
      PII_HASH_KEY: base64Key(16),
    });
    expect(found).toEqual([
      expect.stringMatching(/^PII_ENCRYPTION_KEYS: entry 2 is not <keyId>:<base64>/),
      'PII_ENCRYPTION_KEYS: entry 3 (k2) decodes to 16 bytes, not 32',
      'PII_ENCRYPTION_KEYS: entry 4: key id "k1" appears twice',
      'PII_HASH_KEY: must be base64 of at least 32 random bytes, got 16 bytes',
    ]);
    expect(found.join('\n')).not.toContain(secret);
  });

  it('rejects a hash key that is not base64', () => {
    expect(problems({ PII_ENCRYPTION_KEYS: `k1:${base64Key()}`, PII_HASH_KEY: 'not base64!' })).toEqual([
      'PII_HASH_KEY: must be base64 of at least 32 random bytes, got no base64',
    ]);
  });
});
