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

/**
 * Claims several events at once in one statement; true at each index whose (handler, eventId) was
 * not processed before. A second copy of an event in the same list (a producer retry can put one
 * right behind the first) is not claimed: the first copy is.
 */
export async function claimEvents(
  manager: EntityManager,
  claims: readonly { readonly handler: string; readonly delivery: DeliveredEventRef }[],
): Promise<boolean[]> {
  const inserted: { handler: string; event_id: string }[] = await manager.query(
    `INSERT INTO processed_events (handler, event_id, topic, partition, kafka_offset)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::int[], $5::bigint[])
     ON CONFLICT (handler, event_id) DO NOTHING
     RETURNING handler, event_id`,
    [
      claims.map((claim) => claim.handler),
      claims.map((claim) => claim.delivery.eventId),
      claims.map((claim) => claim.delivery.topic),
      claims.map((claim) => claim.delivery.partition),
      claims.map((claim) => claim.delivery.offset),
    ],
  );
  const key = (handler: string, eventId: string) => `${handler}\u0000${eventId.toLowerCase()}`;
  const fresh = new Set(inserted.map((row) => key(row.handler, row.event_id)));
  return claims.map((claim) => {
    const claimKey = key(claim.handler, claim.delivery.eventId);
    return fresh.delete(claimKey);
  });
}
