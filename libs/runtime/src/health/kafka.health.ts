import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConsumerState } from './kafka-consumer-state';
import { withTimeout } from './with-timeout';

export interface KafkaProbeSettings {
  readonly brokers: string[];
  readonly clientId: string;
  readonly timeoutMs: number;
}

/**
 * Asks the cluster for its metadata over a fresh connection each time: a long-lived admin client
 * can report a cached view of a broker that has since gone away.
 */
export async function probeKafka(
  settings: KafkaProbeSettings,
): Promise<{ brokers: number; controller: number | null }> {
  const kafka = new Kafka({
    clientId: `${settings.clientId}-health`,
    brokers: settings.brokers,
    connectionTimeout: settings.timeoutMs,
    requestTimeout: settings.timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const work = (async () => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  })();
  try {
    return await withTimeout('Kafka', settings.timeoutMs, work);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly consumer: KafkaConsumerState,
  ) {}

  async check(key: string, settings: KafkaProbeSettings) {
    const indicator = this.indicators.check(key);
    if (this.consumer.isFailed) return indicator.down({ consumer: this.consumer.status });
    try {
      const cluster = await probeKafka(settings);
      return indicator.up({ ...cluster, consumer: this.consumer.status });
    } catch (error) {
      return indicator.down({ message: (error as Error).message, consumer: this.consumer.status });
    }
  }
}
