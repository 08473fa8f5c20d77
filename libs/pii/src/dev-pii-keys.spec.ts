import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devPiiEnv } from './dev-pii-keys';
import { createPiiCipher, piiEnvSchema } from './pii-env.schema';

describe('development PII keys', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'tongban-dev-pii-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('are valid configuration, generated once and kept private', async () => {
    const first = await devPiiEnv(directory);
    const cipher = createPiiCipher(piiEnvSchema.parse(first));
    expect(cipher.decrypt(cipher.encrypt('13800000000'))).toBe('13800000000');
    expect(await devPiiEnv(directory)).toEqual(first);
    expect((await stat(path.join(directory, 'keys.json'))).mode & 0o777).toBe(0o600);
  });

  it('are the same for processes that start at once', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => devPiiEnv(directory)));
    expect(new Set(all.map((keys) => keys.PII_HASH_KEY)).size).toBe(1);
  });
});
