import { createHash } from 'node:crypto';
import { type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { Authenticator, type AuthRequest } from '../authenticator.service';
import { isPublicRoute } from '../decorators/public.decorator';
import { ANONYMOUS_THROTTLER, RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';

/**
 * Global guard, first in line: one budget per authenticated subject across all routes of the
 * service, or per client IP when the request carries no valid token (so floods of bad tokens are
 * limited too). Public routes (applicants, no token) count in a budget of their own per IP
 * (AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS), so anonymous traffic behind one address never spends
 * a staff budget and staff traffic never spends the applicants'. Behind a proxy the app must set Express "trust proxy" for `req.ip` to be the
 * client's address. Over the limit: 429, a Retry-After header (seconds) and a JSON body.
 */
@Injectable()
export class SubjectThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(RATE_LIMIT_OPTIONS) private readonly rateLimit: RateLimitOptions,
  ) {
    super(options, storage, reflector);
  }

  // Each route counts in exactly one budget: the anonymous one for public routes, else the default.
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const publicRoute = isPublicRoute(this.reflector, request.context);
    if ((request.throttler.name === ANONYMOUS_THROTTLER) !== publicRoute) return true;
    return super.handleRequest(request);
  }

  // Kafka handlers of the hybrid app are not HTTP requests.
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async getTracker(request: AuthRequest, context?: ExecutionContext): Promise<string> {
    if (context && !isPublicRoute(this.reflector, context)) {
      try {
        return `subject:${(await this.authenticator.authenticate(request)).sub}`;
      } catch {
        // The auth guard after this one answers 401; until then the caller counts as its address.
      }
    }
    return `ip:${await super.getTracker(request)}`;
  }

  // Hashed so subjects and addresses do not sit in Redis in the clear.
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    const digest = createHash('sha256').update(tracker).digest('base64url');
    return `${this.rateLimit.keyPrefix}:${throttlerName}:${digest}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // The base guard names the header after the throttler (Retry-After-anonymous) for any but the
    // default one; clients read the standard header.
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, detail.timeToBlockExpire));
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `rate limit of ${detail.limit} requests per ${Math.round(detail.ttl / 1000)} s exceeded`,
        retryAfterSeconds: detail.timeToBlockExpire,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
