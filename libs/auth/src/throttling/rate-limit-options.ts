export interface RateLimitOptions {
  /**
   * Redis shared by all instances of the service, so a subject's budget holds across them. null
   * keeps the counts in process only: for tests and a single development instance.
   */
  readonly redisUrl: string | null;
  /** Distinguishes the services sharing one Redis, e.g. "tongban:intake". */
  readonly keyPrefix: string;
  /** Requests a subject (or, unauthenticated, an IP address) may make per window. */
  readonly limit: number;
  /** Requests an IP address may make per window to the public (applicant) routes. */
  readonly anonymousLimit: number;
  readonly windowMs: number;
  /** How long a request waits for Redis before the in-process limiter answers instead. */
  readonly redisTimeoutMs: number;
}

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');

/** The name of the public routes' budget; `@SkipThrottle({ anonymous: true })` skips it. */
export const ANONYMOUS_THROTTLER = 'anonymous';
