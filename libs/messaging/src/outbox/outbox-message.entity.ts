import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event waiting to be published, written in the same transaction as the state change it
 * announces. `id` orders publication; a row waits in outbox_pending until published, and is pruned after
 * a retention.
 */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  // bigint arrives from pg as a string; kept as one so no precision is lost.
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'event_id', unique: true })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text', name: 'message_key' })
  key!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
