import { Inject, Injectable } from '@nestjs/common';
import { InjectRedis } from '@tongban/database';
import type Redis from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { SERVICE_METRICS } from './service-metrics';

/**
 * Whether the service's Redis connection is up, from the client's own state at scrape time (no
 * extra round trip). Readiness never fails on Redis (see RedisHealthIndicator), so without this
 * gauge an outage would show only in a log line and the readiness body, and no alert could see
 * that rate limits and attempt budgets are being counted per instance meanwhile.
 */
@Injectable()
export class RedisMetrics {
  constructor(@Inject(SERVICE_METRICS) registry: Registry, @InjectRedis() redis: Redis) {
    new Gauge({
      name: 'tongban_redis_up',
      help: '1 while the connection to Redis is ready, 0 while it is down or reconnecting',
      registers: [registry],
      collect() {
        this.set(redis.status === 'ready' ? 1 : 0);
      },
    });
  }
}
