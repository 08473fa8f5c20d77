import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileOnce, devCacheDirectory } from '@tongban/config';
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

/** `.cache/dev-auth` of the workspace, or of TONGBAN_CACHE_DIR as the scripts use it. */
export function defaultDevAuthDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return devCacheDirectory('dev-auth', env);
}

function newPrivateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * The development signing key pair (ES256), generated on first use. Development and tests only:
 * production tokens come from the identity provider, whose public key the services are given.
 */
export async function devAuthKeys(directory: string = defaultDevAuthDirectory()): Promise<DevAuthKeys> {
  const privateKeyFile = path.join(directory, KEY_FILE);
  const created = existsSync(privateKeyFile)
    ? false
    : await createFileOnce(privateKeyFile, newPrivateKeyPem());
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
