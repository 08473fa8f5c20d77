import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The consumer inbox: one row per (handler, event) a service has handled. Its primary key is
 * what turns a redelivered event into a no-op.
 */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'text' })
  handler!: string;

  @PrimaryColumn({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  // bigint arrives from pg as a string; Kafka offsets exceed 2^53 in long-lived topics.
  @Column({ type: 'bigint', name: 'kafka_offset' })
  offset!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'processed_at' })
  processedAt!: Date;
}
