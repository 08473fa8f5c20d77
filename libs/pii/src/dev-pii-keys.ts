import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileOnce, devCacheDirectory } from '@tongban/config';

interface DevPiiKeys {
  readonly PII_ENCRYPTION_KEYS: string;
  readonly PII_HASH_KEY: string;
}

/**
 * PII_ENCRYPTION_KEYS and PII_HASH_KEY for development and tests, generated once into
 * `.cache/dev-pii` so data written by one `npm start` is still readable after the next.
 * Production keys come from the secret store, never from here.
 */
export async function devPiiEnv(directory: string = devCacheDirectory('dev-pii')): Promise<DevPiiKeys> {
  const file = path.join(directory, 'keys.json');
  const fresh: DevPiiKeys = {
    PII_ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString('base64')}`,
    PII_HASH_KEY: randomBytes(32).toString('base64'),
  };
  await createFileOnce(file, `${JSON.stringify(fresh)}\n`);
  return JSON.parse(await readFile(file, 'utf8')) as DevPiiKeys;
}
