import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { BackoffPolicy } from './backoff';
import { ConsumerLagMetrics } from './consumer/consumer-lag-metrics';
import { ConsumerMetrics } from './consumer/consumer-metrics';
import { type ConsumerHooks, EffectivelyOnceConsumer } from './consumer/effectively-once-consumer';
import { DeadLetterStore } from './dead-letter/dead-letter-store';
import { DeadLettersController } from './dead-letter/dead-letters.controller';
import { KafkaProducerHandle } from './kafka/kafka-producer';
import { OutboxMetrics } from './outbox/outbox-metrics';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';

export interface MessagingOptions {
  readonly brokers: string[];
  readonly clientId: string;
  readonly groupId: string;
  /** Where the messaging metrics go; the service's /metrics registry. */
  readonly metrics?: Registry;
  /** Serves /ops/dead-letters; needs the AuthModule (roles, audit trail) in the application. */
  readonly operatorApi?: boolean;
  readonly relay?: Partial<OutboxRelayOptions> & { readonly enabled?: boolean };
  readonly consumer?: {
    readonly maxAttempts?: number;
    readonly backoff?: BackoffPolicy;
    readonly heartbeatIntervalMs?: number;
    readonly hooks?: ConsumerHooks;
  };
}

/** The registry holding the messaging metrics; the service's /metrics endpoint merges it. */
export const MESSAGING_METRICS = Symbol('MESSAGING_METRICS');
const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * Starts the relay with the application and stops things in dependency order: the relay and
 * consumer retries before Nest closes the Kafka consumer (which waits for running handlers),
 * and the producer (with the admin connection the lag metrics share) only after that, because a
 * running handler may still dead-letter.
 */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly relay: OutboxRelay,
    private readonly consumer: EffectivelyOnceConsumer,
    private readonly producer: KafkaProducerHandle,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.relay?.enabled !== false) this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.consumer.stop();
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      controllers: options.operatorApi ? [DeadLettersController] : [],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: MESSAGING_METRICS, useValue: options.metrics ?? new Registry() },
        {
          provide: KafkaProducerHandle,
          useFactory: () => new KafkaProducerHandle({ brokers: options.brokers, clientId: options.clientId }),
        },
        {
          provide: DeadLetterStore,
          useFactory: (producer: KafkaProducerHandle) => new DeadLetterStore(producer),
          inject: [KafkaProducerHandle],
        },
        {
          provide: EffectivelyOnceConsumer,
          useFactory: (dataSource: DataSource, deadLetters: DeadLetterStore, registry: Registry) =>
            new EffectivelyOnceConsumer(
              dataSource,
              deadLetters,
              {
                maxAttempts: options.consumer?.maxAttempts ?? 5,
                backoff: options.consumer?.backoff ?? { initialMs: 200, maxMs: 5000 },
                heartbeatIntervalMs: options.consumer?.heartbeatIntervalMs ?? 3000,
                groupId: options.groupId,
              },
              new ConsumerMetrics(registry),
              options.consumer?.hooks,
            ),
          inject: [getDataSourceToken(), DeadLetterStore, MESSAGING_METRICS],
        },
        {
          provide: OutboxRelay,
          useFactory: (dataSource: DataSource, producer: KafkaProducerHandle, registry: Registry) => {
            return new OutboxRelay(
              dataSource,
              producer,
              {
                batchSize: options.relay?.batchSize ?? DEFAULT_RELAY_OPTIONS.batchSize,
                fallbackPollMs: options.relay?.fallbackPollMs ?? DEFAULT_RELAY_OPTIONS.fallbackPollMs,
                minPollMs: options.relay?.minPollMs ?? DEFAULT_RELAY_OPTIONS.minPollMs,
                backoff: options.relay?.backoff ?? DEFAULT_RELAY_OPTIONS.backoff,
                retentionHours: options.relay?.retentionHours ?? DEFAULT_RELAY_OPTIONS.retentionHours,
                processedEventsRetentionHours:
                  options.relay?.processedEventsRetentionHours ??
                  DEFAULT_RELAY_OPTIONS.processedEventsRetentionHours,
                pruneIntervalMs: options.relay?.pruneIntervalMs ?? DEFAULT_RELAY_OPTIONS.pruneIntervalMs,
              },
              new OutboxMetrics(registry, dataSource),
            );
          },
          inject: [getDataSourceToken(), KafkaProducerHandle, MESSAGING_METRICS],
        },
        {
          provide: ConsumerLagMetrics,
          useFactory: (producer: KafkaProducerHandle, registry: Registry) =>
            new ConsumerLagMetrics(registry, () => producer.admin(), options.groupId),
          inject: [KafkaProducerHandle, MESSAGING_METRICS],
        },
        MessagingLifecycle,
      ],
      exports: [
        MESSAGING_METRICS,
        KafkaProducerHandle,
        DeadLetterStore,
        EffectivelyOnceConsumer,
        OutboxRelay,
      ],
    };
  }
}
