import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectRedis } from '@tongban/database';
import type Redis from 'ioredis';
import { withTimeout } from './with-timeout';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /**
   * Reported, never failing readiness: everything kept in Redis (rate limits, attempt budgets,
   * rule-change notices) has an in-process fallback, so a service without Redis still does its
   * work. Failing readiness would make the orchestrator take every instance out of service at
   * once and turn a cache outage into a full outage.
   */
  async check(key: string, timeoutMs: number) {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout('Redis', timeoutMs, this.redis.ping());
      return indicator.up({ reachable: true });
    } catch (error) {
      return indicator.up({
        reachable: false,
        degraded: 'rate limits and attempt budgets are counted per instance until Redis answers',
        message: (error as Error).message,
      });
    }
  }
}
