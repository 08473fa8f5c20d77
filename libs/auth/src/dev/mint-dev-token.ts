import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Actor, claimsForActor } from '../actor';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, type SigningKey } from './dev-auth-keys';

export const DEFAULT_DEV_TOKEN_TTL_SECONDS = 8 * 60 * 60;

export interface MintOptions {
  readonly issuer?: string;
  readonly audience?: string | string[];
  readonly ttlSeconds?: number;
  /** Backdates (or postdates) the token; tests use it for expired tokens. */
  readonly issuedAt?: Date;
  readonly notBefore?: Date;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Signs a token carrying the actor's claims, as the identity provider would issue it. */
export async function mintDevToken(
  actor: Actor,
  key: SigningKey,
  options: MintOptions = {},
): Promise<string> {
  const issuedAt = seconds(options.issuedAt ?? new Date());
  const token = new SignJWT({ ...claimsForActor(actor) })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(options.issuer ?? DEV_JWT_ISSUER)
    .setAudience(options.audience ?? DEV_JWT_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? DEFAULT_DEV_TOKEN_TTL_SECONDS))
    .setJti(randomUUID());
  if (options.notBefore) token.setNotBefore(seconds(options.notBefore));
  return token.sign(key.privateKey);
}
