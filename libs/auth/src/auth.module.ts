import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AuthEnv } from './auth-env.schema';
import { AuditTrail } from './audit/audit-trail.service';
import { Authenticator } from './authenticator.service';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { type JwtVerificationOptions, TokenVerifier } from './jwt/token-verifier';
import {
  ANONYMOUS_THROTTLER,
  RATE_LIMIT_OPTIONS,
  type RateLimitOptions,
} from './throttling/rate-limit-options';
import { ResilientThrottlerStorage } from './throttling/resilient-throttler.storage';
import { SubjectThrottlerGuard } from './throttling/subject-throttler.guard';

export interface AuthModuleOptions {
  readonly jwt: JwtVerificationOptions;
  readonly rateLimit: RateLimitOptions;
}

/** Maps the validated AUTH_* variables (plus the service's Redis and name) to module options. */
export function authModuleOptions(
  env: AuthEnv,
  service: { redisUrl: string; name: string },
): AuthModuleOptions {
  return {
    jwt: {
      issuer: env.AUTH_JWT_ISSUER,
      audience: env.AUTH_JWT_AUDIENCE,
      algorithms: env.AUTH_JWT_ALGORITHMS,
      clockToleranceSeconds: env.AUTH_JWT_CLOCK_TOLERANCE_SECONDS,
      maxLifetimeSeconds: env.AUTH_JWT_MAX_LIFETIME_SECONDS,
      ...(env.AUTH_JWKS_URL ? { jwksUrl: env.AUTH_JWKS_URL } : { publicKeys: env.AUTH_JWT_PUBLIC_KEY ?? [] }),
    },
    rateLimit: {
      redisUrl: service.redisUrl,
      keyPrefix: `tongban:${service.name}`,
      limit: env.AUTH_RATE_LIMIT_MAX_REQUESTS,
      anonymousLimit: env.AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS,
      windowMs: env.AUTH_RATE_LIMIT_WINDOW_MS,
      redisTimeoutMs: env.AUTH_RATE_LIMIT_REDIS_TIMEOUT_MS,
    },
  };
}

@Module({})
class RateLimitStorageModule {
  static forRoot(options: RateLimitOptions): DynamicModule {
    return {
      module: RateLimitStorageModule,
      providers: [{ provide: RATE_LIMIT_OPTIONS, useValue: options }, ResilientThrottlerStorage],
      exports: [RATE_LIMIT_OPTIONS, ResilientThrottlerStorage],
    };
  }
}

/**
 * Authentication, authorization and rate limiting for every HTTP route of a service. The global
 * guards run in this order: rate limit (per subject, else per IP), then the bearer token
 * (`@Public()` skips it), then `@Roles` and the operators' read-only rule.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const storage = RateLimitStorageModule.forRoot(options.rateLimit);
    return {
      module: AuthModule,
      global: true,
      imports: [
        storage,
        ThrottlerModule.forRootAsync({
          imports: [storage],
          inject: [ResilientThrottlerStorage],
          useFactory: (resilient: ResilientThrottlerStorage) => ({
            throttlers: [
              { limit: options.rateLimit.limit, ttl: options.rateLimit.windowMs },
              {
                name: ANONYMOUS_THROTTLER,
                limit: options.rateLimit.anonymousLimit,
                ttl: options.rateLimit.windowMs,
              },
            ],
            storage: resilient,
          }),
        }),
      ],
      providers: [
        { provide: TokenVerifier, useFactory: () => new TokenVerifier(options.jwt) },
        Authenticator,
        AuditTrail,
        { provide: APP_GUARD, useClass: SubjectThrottlerGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [Authenticator, TokenVerifier, AuditTrail, storage],
    };
  }
}
