import type { EntityManager } from 'typeorm';

export interface DeliveredEventRef {
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Claims an event for a handler inside the caller's transaction. Returns false when the handler
 * has already processed that event, in which case the caller must not repeat its effect.
 */
export async function claimEvent(
  manager: EntityManager,
  handler: string,
  ref: DeliveredEventRef,
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO processed_events (handler, event_id, topic, partition, kafka_offset)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (handler, event_id) DO NOTHING
     RETURNING event_id`,
    [handler, ref.eventId, ref.topic, ref.partition, ref.offset],
  );
  return inserted.length === 1;
}
