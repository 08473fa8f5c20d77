import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@tongban/config';
import { authEnvSchema } from '../auth-env.schema';
import { authModuleOptions } from '../auth.module';
import { TokenVerifier } from '../jwt/token-verifier';
import { defaultDevAuthDirectory, devAuthEnv, devAuthKeys } from './dev-auth-keys';
import { devUsers, findDevUser } from './dev-users';
import { mintDevToken } from './mint-dev-token';

describe('development tokens', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'tongban-dev-auth-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('generates the key pair once, readable by its owner only, and reuses it', async () => {
    const first = await devAuthKeys(directory);
    const again = await devAuthKeys(directory);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(again.kid).toBe(first.kid);
    expect(statSync(first.privateKeyFile).mode & 0o777).toBe(0o600);
  });

  it('ends with one key pair when several processes start at once', async () => {
    const all = await Promise.all(Array.from({ length: 6 }, () => devAuthKeys(directory)));
    expect(new Set(all.map((keys) => keys.publicKeyPem)).size).toBe(1);
    expect(all.filter((keys) => keys.created)).toHaveLength(1);
    expect(readdirSync(directory)).toEqual(['es256-private-key.pem']);
  });

  it('mints tokens for every seeded user that services configured by devAuthEnv accept', async () => {
    const keys = await devAuthKeys(directory);
    const env = loadConfig(authEnvSchema, devAuthEnv(keys));
    const verifier = new TokenVerifier(
      authModuleOptions(env, { redisUrl: 'redis://unused', name: 'test' }).jwt,
    );
    for (const user of devUsers()) {
      const actor = await verifier.verify(await mintDevToken(user, keys));
      expect({ ...actor, label: user.label }).toEqual(user);
    }
  });

  it('seeds every role, the offices and departments of the examples, and a supervisor', () => {
    const users = devUsers();
    expect(new Set(users.map((user) => user.role))).toEqual(
      new Set(['office_staff', 'reviewer', 'courier', 'operator', 'admin']),
    );
    const offices = users.flatMap((user) => (user.role === 'office_staff' ? [user.officeId] : []));
    expect(offices).toEqual(
      expect.arrayContaining(['440306001', '440306001001', '440306002', '440303001', '441305001']),
    );
    expect(findDevUser('reviewer-rsj-supervisor')).toMatchObject({
      departmentId: '440306-rsj',
      supervisor: true,
    });
    expect(users.filter((user) => user.role === 'courier')).toHaveLength(2);
    expect(new Set(users.map((user) => user.sub)).size).toBe(users.length);
  });

  it('keeps keys under the workspace cache, or TONGBAN_CACHE_DIR', () => {
    expect(defaultDevAuthDirectory({})).toMatch(/\.cache\/dev-auth$/);
    expect(defaultDevAuthDirectory({ TONGBAN_CACHE_DIR: '/var/cache/tongban' })).toBe(
      '/var/cache/tongban/dev-auth',
    );
  });
});
