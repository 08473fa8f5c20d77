import { Injectable } from '@nestjs/common';
import type { Actor } from './actor';
import { AuthenticationError, TokenVerifier } from './jwt/token-verifier';

/** The parts of an HTTP request (Express or Fastify) that authentication reads and writes. */
export interface AuthRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method: string;
  readonly ip?: string;
  actor?: Actor;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

function bearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === '') throw new AuthenticationError('missing');
  const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
  if (!token) throw new AuthenticationError('malformed');
  return token;
}

@Injectable()
export class Authenticator {
  private readonly results = new WeakMap<AuthRequest, Promise<Actor>>();

  constructor(private readonly verifier: TokenVerifier) {}

  /**
   * Verifies the request's bearer token. The rate limiter (to key by subject) and the auth
   * guard both ask; the token is verified once per request.
   */
  authenticate(request: AuthRequest): Promise<Actor> {
    let result = this.results.get(request);
    if (!result) {
      // Through then() so that a missing or malformed header rejects like any other bad token.
      result = Promise.resolve().then(() =>
        this.verifier.verify(bearerToken(request.headers['authorization'])),
      );
      this.results.set(request, result);
    }
    return result;
  }
}
