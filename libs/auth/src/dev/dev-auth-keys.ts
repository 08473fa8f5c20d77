import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { JwtAlgorithm } from '../auth-env.schema';

/** A private key that signs tokens, with the header values that go with it. */
export interface SigningKey {
  readonly alg: JwtAlgorithm;
  readonly privateKey: KeyObject;
  readonly kid?: string;
}

export interface DevAuthKeys extends SigningKey {
  readonly kid: string;
  readonly publicKeyPem: string;
  /** Where the private key lives; never committed (.cache is ignored). */
  readonly privateKeyFile: string;
  /** True when this call generated the key pair. */
  readonly created: boolean;
}

export const DEV_JWT_ISSUER = 'tongban-dev';
export const DEV_JWT_AUDIENCE = 'tongban';

const KEY_FILE = 'es256-private-key.pem';

function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no workspace root (nx.json) above ${from}`);
  }
}

/** `.cache/dev-auth` of the workspace, or of TONGBAN_CACHE_DIR as the scripts use it. */
export function defaultDevAuthDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env['TONGBAN_CACHE_DIR'] ?? path.join(workspaceRoot(__dirname), '.cache'), 'dev-auth');
}

async function createKeyFileOnce(file: string): Promise<boolean> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600 });
  try {
    // link() fails if the file exists: of several processes starting at once, exactly one key wins.
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temporary);
  }
}

/**
 * The development signing key pair (ES256), generated on first use. Development and tests only:
 * production tokens come from the identity provider, whose public key the services are given.
 */
export async function devAuthKeys(directory: string = defaultDevAuthDirectory()): Promise<DevAuthKeys> {
  const privateKeyFile = path.join(directory, KEY_FILE);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const created = existsSync(privateKeyFile) ? false : await createKeyFileOnce(privateKeyFile);
  const privateKey = createPrivateKey(await readFile(privateKeyFile, 'utf8'));
  const publicKey = createPublicKey(privateKey);
  return {
    alg: 'ES256',
    privateKey,
    kid: await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyFile,
    created,
  };
}

/** The variables a service needs to accept tokens minted with these keys. */
export function devAuthEnv(keys: Pick<DevAuthKeys, 'publicKeyPem'>): Record<string, string> {
  return {
    AUTH_JWT_ISSUER: DEV_JWT_ISSUER,
    AUTH_JWT_AUDIENCE: DEV_JWT_AUDIENCE,
    AUTH_JWT_PUBLIC_KEY: keys.publicKeyPem,
  };
}
