import { type DynamicModule, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceEnv, ServiceName } from '@tongban/config';
import { RedisModule } from '@tongban/database';
import { MessagingModule } from '@tongban/messaging';
import { LoggingModule } from '@tongban/observability';
import { HealthModule } from './health/health.module';
import { SERVICE_CONFIG } from './service-config';

@Injectable()
class ShutdownReporter implements OnApplicationShutdown {
  private readonly logger = new Logger('Runtime');

  onApplicationShutdown(signal?: string): void {
    this.logger.log({ msg: 'shutdown complete', signal });
  }
}

/**
 * What every service needs around its own modules: config, logging, Redis, messaging (outbox
 * relay, effectively-once consumer, dead letters) and health probes.
 */
@Module({})
export class RuntimeModule {
  static forRoot(service: ServiceName, config: ServiceEnv): DynamicModule {
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        LoggingModule.forRoot({ service, level: config.LOG_LEVEL }),
        RedisModule.forRoot({ url: config.REDIS_URL, connectionName: `tongban-${service}` }),
        MessagingModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          groupId: config.KAFKA_GROUP_ID,
          relay: {
            batchSize: config.OUTBOX_BATCH_SIZE,
            fallbackPollMs: config.OUTBOX_FALLBACK_POLL_MS,
            retentionHours: config.OUTBOX_RETENTION_HOURS,
          },
          consumer: {
            maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
            backoff: { initialMs: config.CONSUMER_RETRY_INITIAL_MS, maxMs: config.CONSUMER_RETRY_MAX_MS },
          },
        }),
        HealthModule,
      ],
      providers: [{ provide: SERVICE_CONFIG, useValue: config }, ShutdownReporter],
      exports: [SERVICE_CONFIG, HealthModule],
    };
  }
}
