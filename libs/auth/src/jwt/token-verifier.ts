import { createPublicKey } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type CryptoKey,
  type JWK,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { type Actor, actorClaimsSchema } from '../actor';
import { ASYMMETRIC_ALGORITHMS, type JwtAlgorithm } from '../auth-env.schema';

export interface JwtVerificationOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly algorithms: readonly JwtAlgorithm[];
  readonly clockToleranceSeconds: number;
  /**
   * The longest lifetime (`exp - iat`) a token may have. A stolen token is good until it
   * expires, so one minted for years (or with an `iat` far ahead) must not be accepted.
   */
  readonly maxLifetimeSeconds: number;
  /** PEM public keys or certificates; several during a key rotation. Exclusive with `jwksUrl`. */
  readonly publicKeys?: readonly string[];
  /** The identity provider's JWKS endpoint; keys are fetched, cached and refreshed by kid. */
  readonly jwksUrl?: string;
}

export type AuthenticationFailure =
  'missing' | 'malformed' | 'expired' | 'not_yet_valid' | 'too_long_lived' | 'invalid' | 'keys_unavailable';

const FAILURE_MESSAGES: Readonly<Record<AuthenticationFailure, string>> = {
  missing: 'a bearer token is required',
  malformed: 'the bearer token is malformed',
  expired: 'the bearer token has expired',
  not_yet_valid: 'the bearer token is not valid yet',
  too_long_lived: 'the bearer token lives longer than this service accepts',
  invalid: 'the bearer token is not valid for this service',
  keys_unavailable: 'the signing keys of the identity provider could not be loaded',
};

/** Why a request could not be authenticated; the message is safe to return to the caller. */
export class AuthenticationError extends Error {
  constructor(readonly reason: AuthenticationFailure) {
    super(FAILURE_MESSAGES[reason]);
    this.name = 'AuthenticationError';
  }
}

// How long a request may wait for the identity provider's JWKS before failing with 503.
const JWKS_TIMEOUT_MS = 3000;

function pemKeySet(publicKeys: readonly string[]): JWTVerifyGetKey {
  const keySet = createLocalJWKSet({
    keys: publicKeys.map((pem) => createPublicKey(pem).export({ format: 'jwk' }) as JWK),
  });
  // PEM keys have no kid, so a kid in the token header must not rule them out.
  return (header, token) => keySet({ ...header, kid: undefined }, token);
}

function failureOf(error: unknown): AuthenticationFailure {
  const code = (error as { code?: unknown } | null)?.code;
  // Anything but a token or key error means the JWKS request failed (refused, DNS, TLS, ...).
  if (typeof code !== 'string' || !/^ERR_J(WT|WS|WK|OSE)/.test(code)) return 'keys_unavailable';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      // jose refuses an iat beyond the clock tolerance ahead as a failed check (a missing iat,
      // a required claim, fails with reason "missing" and is simply invalid).
      const { claim, reason } = error as { claim?: string; reason?: string };
      if (claim === 'nbf' || (claim === 'iat' && reason === 'check_failed')) return 'not_yet_valid';
      return 'invalid';
    }
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed';
    // jose's generic error only comes from a JWKS response that is not 200 or not JSON.
    case 'ERR_JOSE_GENERIC':
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'keys_unavailable';
    default:
      return 'invalid';
  }
}

/** Verifies bearer tokens and reads the actor from their claims. */
export class TokenVerifier {
  private readonly getKey: JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  private readonly maxLifetimeSeconds: number;

  constructor(options: JwtVerificationOptions) {
    const refused = options.algorithms.filter(
      (alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg),
    );
    if (options.algorithms.length === 0 || refused.length > 0) {
      throw new Error(
        `TokenVerifier: only asymmetric algorithms may be accepted (refused: ${refused.join(', ')})`,
      );
    }
    const hasKeys = (options.publicKeys?.length ?? 0) > 0;
    if (hasKeys === Boolean(options.jwksUrl)) {
      throw new Error('TokenVerifier: give exactly one of publicKeys and jwksUrl');
    }
    this.getKey = options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: JWKS_TIMEOUT_MS })
      : pemKeySet(options.publicKeys ?? []);
    this.options = {
      issuer: options.issuer,
      audience: [...(typeof options.audience === 'string' ? [options.audience] : options.audience)],
      algorithms: [...options.algorithms],
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: ['sub', 'exp', 'iat'],
      // Also bounds iat from above: one further ahead than the clock tolerance is refused.
      maxTokenAge: options.maxLifetimeSeconds,
    };
    this.maxLifetimeSeconds = options.maxLifetimeSeconds;
  }

  async verify(token: string): Promise<Actor> {
    const payload = await this.verifySignatureAndClaims(token);
    // Both present and numeric: required claims, checked by jose.
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > this.maxLifetimeSeconds) {
      throw new AuthenticationError('too_long_lived');
    }
    const actor = actorClaimsSchema.safeParse(payload);
    if (!actor.success) throw new AuthenticationError('invalid');
    return actor.data;
  }

  private async verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    try {
      return (await jwtVerify(token, this.getKey, this.options)).payload;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
        throw new AuthenticationError(failureOf(error));
      }
      // Several keys fit the header (a rotation without kids): the token is good if any verifies it.
      return this.verifyWithAnyOf(token, error as AsyncIterable<CryptoKey>);
    }
  }

  private async verifyWithAnyOf(token: string, candidates: AsyncIterable<CryptoKey>): Promise<JWTPayload> {
    for await (const key of candidates) {
      try {
        return (await jwtVerify(token, key, this.options)).payload;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
          throw new AuthenticationError(failureOf(error));
        }
      }
    }
    throw new AuthenticationError('invalid');
  }
}
