import { z } from 'zod';
import { PII_KEY_ID, PiiCipher, type PiiKey } from './pii-cipher';

// Standard or URL-safe alphabet, padded or not.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEYS_FORMAT = 'a comma-separated list of <keyId>:<base64 of 32 bytes>, the first one current';

function decodeBase64(value: string): Buffer | null {
  const trimmed = value.trim();
  return BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : null;
}

/**
 * The variables the PII cipher reads, to be merged into a service's schema
 * (`serviceEnvSchema(...).extend(piiEnvSchema.shape)`). Neither has a default: a service holding
 * personal data must not start with a made-up key. Generate a key with
 * `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`.
 *
 * PII_ENCRYPTION_KEYS: `k2:<base64>,k1:<base64>`. Rotate by putting a new key first and keeping
 * the old ones until every value has been re-encrypted. PII_HASH_KEY: base64 of at least 32
 * bytes; changing it invalidates every stored lookup hash.
 */
export const piiEnvSchema = z.object({
  PII_ENCRYPTION_KEYS: z.string({ error: `required: ${KEYS_FORMAT}` }).transform((value, ctx): PiiKey[] => {
    const keys: PiiKey[] = [];
    const entries = value.split(',').map((entry) => entry.trim());
    entries.forEach((entry, index) => {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      const key = separator > 0 ? decodeBase64(entry.slice(separator + 1)) : null;
      const position = `entry ${index + 1}`;
      if (!PII_KEY_ID.test(id) || key === null) {
        ctx.addIssue({
          code: 'custom',
          message: `${position} is not <keyId>:<base64>; expected ${KEYS_FORMAT}`,
        });
      } else if (key.length !== 32) {
        ctx.addIssue({
          code: 'custom',
          message: `${position} (${id}) decodes to ${key.length} bytes, not 32`,
        });
      } else if (keys.some((known) => known.id === id)) {
        ctx.addIssue({ code: 'custom', message: `${position}: key id "${id}" appears twice` });
      } else {
        keys.push({ id, key });
      }
    });
    return keys;
  }),
  PII_HASH_KEY: z
    .string({ error: 'required: base64 of at least 32 random bytes' })
    .transform((value, ctx) => {
      const key = decodeBase64(value);
      if (key === null || key.length < 32) {
        ctx.addIssue({
          code: 'custom',
          message: `must be base64 of at least 32 random bytes, got ${key === null ? 'no base64' : `${key.length} bytes`}`,
        });
      }
      return key ?? Buffer.alloc(0);
    }),
});

export type PiiEnv = z.infer<typeof piiEnvSchema>;

export function createPiiCipher(env: PiiEnv): PiiCipher {
  return new PiiCipher({ encryptionKeys: env.PII_ENCRYPTION_KEYS, hashKey: env.PII_HASH_KEY });
}
