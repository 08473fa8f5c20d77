import {
  type DynamicModule,
  Injectable,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { ServiceName } from '@tongban/config';
import type { ServiceConfig } from './service-config-schema';
import { AuthModule, authModuleOptions } from '@tongban/auth';
import { RedisModule } from '@tongban/database';
import { type ConsumerHooks, MessagingModule } from '@tongban/messaging';
import { LoggingModule } from '@tongban/observability';
import { loadReferenceData, ReferenceData } from '@tongban/reference-data';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HealthModule } from './health/health.module';
import { SafeExceptionFilter } from './http/safe-exception.filter';
import { StrictJsonBodyMiddleware } from './http/strict-json-body';
import { MetricsServer } from './metrics/metrics-server';
import { SERVICE_METRICS } from './metrics/service-metrics';
import { ValidationPipe } from './validation/validation.pipe';
import { SERVICE_CONFIG } from './service-config';
import { Clock, SystemClock } from './clock';

@Injectable()
class ShutdownReporter implements OnApplicationShutdown {
  private readonly logger = new Logger('Runtime');

  onApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'shutdown complete', signal });
  }
}

/**
 * FAULT_CRASH_AFTER_COMMIT names a handler; its next event kills the process (SIGKILL) after the
 * handler's transaction committed and before the Kafka offset commit, the window in which a crash
 * must neither lose the event nor repeat its effect. Fault tests use it; production refuses it.
 */
function faultInjectionHooks(handler: string | undefined): ConsumerHooks | undefined {
  if (!handler) return undefined;
  const logger = new Logger('FaultInjection');
  return {
    afterCommit: (committedBy, delivery) => {
      if (committedBy !== handler) return;
      logger.warn({
        msg: 'fault injection: killing the process between DB commit and offset commit',
        handler,
        ...delivery,
      });
      process.kill(process.pid, 'SIGKILL');
    },
  };
}

/**
 * What every service needs around its own modules: config, logging, authentication with rate
 * limits, Redis, messaging (outbox relay, effectively-once consumer, dead letters), health probes,
 * the clock and the reference data (loaded and validated at boot from REFERENCE_DATA_DIR or the
 * bundled files, so bad data stops the service before it serves).
 */
@Module({})
export class RuntimeModule implements NestModule {
  static forRoot(service: ServiceName, config: ServiceConfig): DynamicModule {
    const metrics = new Registry();
    metrics.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metrics });
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        LoggingModule.forRoot({ service, level: config.LOG_LEVEL }),
        AuthModule.forRoot(authModuleOptions(config, { redisUrl: config.REDIS_URL, name: service })),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: `tongban-${service}` }),
        MessagingModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          groupId: config.KAFKA_GROUP_ID,
          operatorApi: true,
          metrics,
          relay: {
            batchSize: config.OUTBOX_BATCH_SIZE,
            fallbackPollMs: config.OUTBOX_FALLBACK_POLL_MS,
            retentionHours: config.OUTBOX_RETENTION_HOURS,
            processedEventsRetentionHours: config.PROCESSED_EVENTS_RETENTION_HOURS,
          },
          consumer: {
            hooks: faultInjectionHooks(config.FAULT_CRASH_AFTER_COMMIT),
            maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
            backoff: { initialMs: config.CONSUMER_RETRY_INITIAL_MS, maxMs: config.CONSUMER_RETRY_MAX_MS },
          },
        }),
        HealthModule,
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_PIPE, useClass: ValidationPipe },
        { provide: APP_FILTER, useClass: SafeExceptionFilter },
        { provide: SERVICE_METRICS, useValue: metrics },
        { provide: Clock, useClass: SystemClock },
        { provide: ReferenceData, useFactory: () => loadReferenceData(config.REFERENCE_DATA_DIR) },
        MetricsServer,
        ShutdownReporter,
      ],
      exports: [SERVICE_CONFIG, SERVICE_METRICS, Clock, ReferenceData, HealthModule, MetricsServer],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(StrictJsonBodyMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
