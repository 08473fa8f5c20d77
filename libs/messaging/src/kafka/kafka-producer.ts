import { type Admin, Kafka, logLevel, Partitioners, type Producer, type RecordMetadata } from 'kafkajs';
import { CompleteSender, type TopicBatch } from './complete-send';

export interface ProducerSettings {
  readonly brokers: string[];
  readonly clientId: string;
}

/**
 * The producer every Tongban publisher uses, connected on first use so a service can start while
 * the broker is away. acks=all with one request in flight, so a retried send cannot overtake an
 * earlier one and per-key order holds; a retry may write a message twice, which consumers skip by
 * event id. Deliberately NOT idempotent: kafkajs 2.2.4 loses track of its sequence numbers when a
 * partition's leader dies mid-batch (OUT_OF_ORDER_SEQUENCE_NUMBER on every later send), and while
 * out of step a resent batch can match one the broker already holds, which the broker acknowledges
 * as a duplicate without writing it. The three-broker failover test caught events marked published
 * that were on no broker. Its own retries are short; callers (the relay, the dead-letter writer)
 * own the longer backoff.
 */
export class KafkaProducerHandle {
  readonly kafka: Kafka;
  private readonly producer: Producer;
  private connecting?: Promise<Producer>;
  private adminConnecting?: Promise<Admin>;
  private readonly completeSender = new CompleteSender(() => this.admin());

  constructor(settings: ProducerSettings) {
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      connectionTimeout: 3000,
      requestTimeout: 10000,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 3 },
    });
    this.producer = this.kafka.producer({
      idempotent: false,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  get(): Promise<Producer> {
    this.connecting ??= this.producer.connect().then(
      () => this.producer,
      (error: unknown) => {
        this.connecting = undefined;
        throw error;
      },
    );
    return this.connecting;
  }

  /**
   * Sends with acks=all and resolves only when every partition written to acknowledged
   * (IncompleteSendError otherwise; see CompleteSender). What the outbox relay publishes with.
   */
  async sendComplete(batches: readonly TopicBatch[]): Promise<RecordMetadata[]> {
    return this.completeSender.send(await this.get(), batches);
  }

  /** One admin connection per service, opened on first use and closed with the producer. */
  admin(): Promise<Admin> {
    this.adminConnecting ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.adminConnecting = undefined;
      throw error;
    });
    return this.adminConnecting;
  }

  async close(): Promise<void> {
    const admin = this.adminConnecting;
    this.adminConnecting = undefined;
    await admin?.then((connected) => connected.disconnect()).catch(() => undefined);
    if (!this.connecting) return;
    this.connecting = undefined;
    await this.producer.disconnect().catch(() => undefined);
  }
}
