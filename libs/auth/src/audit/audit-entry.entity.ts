import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_RESULTS = ['succeeded', 'denied', 'failed'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/**
 * One row per action an actor took or attempted. Append-only: a trigger rejects UPDATE, DELETE
 * and TRUNCATE (see CreateAuditLog1764300000000), so entries are written with `AuditTrail.record`
 * and never changed.
 */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  // pg hands bigint back as a string, which keeps the id exact.
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', name: 'occurred_at', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'text', name: 'actor_sub' })
  actorSub!: string;

  @Column({ type: 'text', name: 'actor_role' })
  actorRole!: string;

  /** The office, department or courier id the actor acted for; null for operators and admins. */
  @Column({ type: 'text', name: 'actor_scope', nullable: true })
  actorScope!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', name: 'object_type' })
  objectType!: string;

  @Column({ type: 'text', name: 'object_id', nullable: true })
  objectId!: string | null;

  @Column({ type: 'text' })
  result!: AuditResult;

  /** Ids, states and reasons only: never personal data. */
  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  @Column({ type: 'text', name: 'trace_id', nullable: true })
  traceId!: string | null;
}
