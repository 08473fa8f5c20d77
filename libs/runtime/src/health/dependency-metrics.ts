import { Inject, Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Gauge, type Registry } from 'prom-client';
import { SERVICE_METRICS } from '../metrics/service-metrics';
import type { ServiceConfig } from '../service-config-schema';
import { InjectServiceConfig } from '../service-config';
import { KafkaHealthIndicator } from './kafka.health';
import { RedisHealthIndicator } from './redis.health';

/** How old a probe may be before a scrape starts the next one. */
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
    let last: { at: number; up: Record<string, boolean> } | undefined;
    let running: Promise<unknown> | undefined;
    const refresh = () =>
      (running ??= probeAll()
        .then((up) => {
          last = { at: Date.now(), up };
        })
        .finally(() => {
          running = undefined;
        }));
    new Gauge({
      name: 'tongban_dependency_up',
      help: '1 while the dependency answers the readiness probe (postgres, kafka, redis), else 0',
      labelNames: ['dependency'],
      registers: [registry],
      async collect() {
        // A scrape answers from the last probe and starts the next one: waiting for a probe (a new
        // Kafka connection, up to HEALTH_TIMEOUT_MS each) would make a busy instance answer its
        // scrape late, which Prometheus reads as the instance being down.
        if (!last) await refresh();
        else if (Date.now() - last.at >= REPROBE_MS) void refresh();
        for (const [dependency, up] of Object.entries(last?.up ?? {})) this.set({ dependency }, up ? 1 : 0);
      },
    });
  }
}
