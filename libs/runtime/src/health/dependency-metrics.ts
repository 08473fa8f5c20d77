import { Inject, Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { BackgroundReading } from '@tongban/observability';
import { Gauge, type Registry } from 'prom-client';
import { SERVICE_METRICS } from '../metrics/service-metrics';
import type { ServiceConfig } from '../service-config-schema';
import { InjectServiceConfig } from '../service-config';
import { KafkaHealthIndicator } from './kafka.health';
import { RedisHealthIndicator } from './redis.health';

/** How old a probe may be before a scrape starts the next one (BackgroundReading: scrapes never wait). */
const REPROBE_MS = 5000;

/**
 * What readiness checks, as a gauge per dependency, probed in the background as scrapes come.
 * Readiness only takes an instance out of service; an alert needs a metric. Redis in particular
 * never fails readiness (see RedisHealthIndicator), so without this an outage would show only in
 * a log line.
 */
@Injectable()
export class DependencyMetrics {
  constructor(
    @Inject(SERVICE_METRICS) registry: Registry,
    postgres: TypeOrmHealthIndicator,
    kafka: KafkaHealthIndicator,
    redis: RedisHealthIndicator,
    @InjectServiceConfig() config: ServiceConfig,
  ) {
    const timeout = config.HEALTH_TIMEOUT_MS;
    const probes: Record<string, () => Promise<boolean>> = {
      postgres: async () => (await postgres.pingCheck('postgres', { timeout }))['postgres']?.status === 'up',
      kafka: async () =>
        (
          await kafka.check('kafka', {
            brokers: config.KAFKA_BROKERS,
            clientId: config.KAFKA_CLIENT_ID,
            timeoutMs: timeout,
          })
        )['kafka']?.status === 'up',
      redis: async () => (await redis.check('redis', timeout))['redis']?.['reachable'] === true,
    };
    const probeAll = async (): Promise<Record<string, boolean>> =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(probes).map(async ([dependency, probe]) => [
            dependency,
            await probe().catch(() => false),
          ]),
        ),
      );
    const reading = new BackgroundReading(probeAll, REPROBE_MS);
    new Gauge({
      name: 'tongban_dependency_up',
      help: '1 while the dependency answers the readiness probe (postgres, kafka, redis), else 0',
      labelNames: ['dependency'],
      registers: [registry],
      async collect() {
        for (const [dependency, up] of Object.entries(await reading.get()))
          this.set({ dependency }, up ? 1 : 0);
      },
    });
  }
}
