import { once } from 'node:events';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';
import { RATE_LIMIT_OPTIONS, type RateLimitOptions } from './rate-limit-options';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// After Redis failed, requests skip it for this long instead of each paying the timeout.
const REDIS_RETRY_INTERVAL_MS = 1000;
// How long start-up waits for Redis before serving on the fallback limiter.
const REDIS_STARTUP_WAIT_MS = 2000;

/**
 * A client that never holds a rate-limit check: commands fail at once while disconnected (no
 * offline queue, no retry of in-flight commands) and a command Redis accepted but never answers
 * is dropped after a deadline, while the client keeps reconnecting in the background.
 */
export function createRateLimitRedisClient(url: string, connectionName: string, timeoutMs: number): Redis {
  const redis = new Redis(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: Math.max(timeoutMs * 4, 1000),
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Outages are reported by the storage, once each; without a listener ioredis prints every error.
  redis.on('error', () => undefined);
  return redis;
}

class RedisDeadlineError extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisDeadlineError(ms)), ms);
  });
  try {
    // race() also observes a late rejection of `work`, so it never surfaces as unhandled.
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Rate-limit counts in Redis, shared by every instance of the service.
 *
 * Redis-down policy: when Redis errors, is disconnected or does not answer within
 * `redisTimeoutMs`, the request is counted by an in-process limiter with the same limit instead,
 * so no request waits on Redis and each instance still enforces the limit on its own (the
 * effective limit across N instances becomes up to N times the configured one). Failing open
 * would drop protection during an outage; failing closed would turn a cache outage into a full
 * outage. One warning is logged per outage and one notice when Redis answers again; neither
 * carries request details.
 */
@Injectable()
export class ResilientThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new ThrottlerStorageService();
  private readonly redis: Redis | null;
  private readonly shared: ThrottlerStorageRedisService | null;
  private degraded = false;
  private skipRedisUntil = 0;
  private closed = false;

  constructor(@Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions) {
    this.redis = options.redisUrl
      ? createRateLimitRedisClient(
          options.redisUrl,
          `${options.keyPrefix}:rate-limit`,
          options.redisTimeoutMs,
        )
      : null;
    this.shared = this.redis ? new ThrottlerStorageRedisService(this.redis) : null;
  }

  /** True while counts go to Redis, false while the in-process fallback answers. */
  get usingRedis(): boolean {
    return this.shared !== null && !this.degraded && this.redis?.status === 'ready';
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis || this.redis.status === 'ready') return;
    try {
      await once(this.redis, 'ready', { signal: AbortSignal.timeout(REDIS_STARTUP_WAIT_MS) });
    } catch (error) {
      this.reportOutage(error);
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    if (this.shared && this.redis && Date.now() >= this.skipRedisUntil) {
      if (this.redis.status === 'ready') {
        try {
          const record = await withDeadline(
            this.shared.increment(key, ttl, limit, blockDuration, throttlerName),
            this.options.redisTimeoutMs,
          );
          this.reportRecovery();
          return record;
        } catch (error) {
          this.reportOutage(error);
        }
      } else {
        this.reportOutage(new Error(`Redis connection is ${this.redis.status}`));
      }
    }
    return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  async onApplicationShutdown(): Promise<void> {
    // Nest calls this twice: the instance is also the throttler module's storage provider.
    if (this.closed) return;
    this.closed = true;
    this.fallback.onApplicationShutdown();
    if (this.redis?.status === 'ready') await this.redis.quit();
    else this.redis?.disconnect();
  }

  private reportOutage(error: unknown): void {
    this.skipRedisUntil = Date.now() + REDIS_RETRY_INTERVAL_MS;
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn({
      msg: 'rate-limit Redis unavailable; limiting per instance until it answers again',
      reason: error instanceof Error ? error.message : String(error),
    });
  }

  private reportRecovery(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log({ msg: 'rate-limit Redis answers again; limits are shared across instances' });
  }
}
