import { type CustomStrategy, Transport, type KafkaOptions } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import { BatchKafkaServer } from './consumer/batch-kafka-server';
import { kafkaLogCreator } from './kafka/kafka-log-creator';

export interface KafkaSettings {
  readonly brokers: string[];
  readonly clientId: string;
  readonly groupId: string;
  /**
   * Partitions whose messages are handled at the same time (kafkajs partitionsConsumedConcurrently).
   * Order holds within a partition, so per case; above the partition count it changes nothing.
   */
  readonly partitionsConcurrently?: number;
}

/**
 * Options for a service's Kafka consumer. Nest would append "-server" to the client and group
 * ids; postfixId '' keeps the group id exactly as configured so operators find it by that name.
 */
export function kafkaConsumerOptions(settings: KafkaSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: {
        clientId: settings.clientId,
        brokers: settings.brokers,
        connectionTimeout: 3000,
        logCreator: kafkaLogCreator('ServerKafka'),
        // Keep retrying a lost broker for about a minute before kafkajs restarts the consumer.
        retry: { initialRetryTime: 300, maxRetryTime: 10000, retries: 10 },
      },
      consumer: {
        groupId: settings.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        // A fetch returns as soon as there is anything (minBytes 1): batches form from what piles up
        // while the previous batch is handled, so an idle hop waits for nothing. Holding fetches for
        // more bytes (16 KiB / 40 ms was tried) delivers events that two services published at
        // nearly the same time to different topics together, to be handled concurrently, where the
        // earlier one used to come first. maxWaitTimeInMs bounds an idle fetch, and so shutdown.
        minBytes: 1,
        maxWaitTimeInMs: 500,
      },
      // The kafkajs 2 default (murmur2, as the Java client) so keys land where other clients put them.
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      subscribe: { fromBeginning: true },
      // The effectively-once consumer commits each offset itself, after its transaction commits.
      run: { autoCommit: false, partitionsConsumedConcurrently: settings.partitionsConcurrently ?? 1 },
      // Raw bytes reach the handler, so a message that is not JSON is dead-lettered unchanged.
      parser: { keepBinary: true },
    },
  };
}

/**
 * The service's consumer: Nest's Kafka transport with these options, consuming partition batches
 * (BatchKafkaServer) so the effectively-once consumer handles each batch in one transaction.
 */
export function kafkaConsumerStrategy(settings: KafkaSettings): CustomStrategy {
  return { strategy: new BatchKafkaServer(kafkaConsumerOptions(settings).options ?? {}) };
}
