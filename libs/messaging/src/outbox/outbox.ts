import { parseEvent, topicOf, type TongbanEvent } from '@tongban/contracts';
import type { EntityManager } from 'typeorm';
import { traceHeadersForNewMessage } from '../tracing/trace-headers';

/**
 * Queues events for publication inside the caller's transaction: they are published if and only
 * if that transaction commits. Events are validated again here, so a hand-built event that skipped
 * `createEvent` cannot reach Kafka. Callers that write several events of one case in separate
 * transactions must serialise those transactions (e.g. lock the case row) to keep per-case order.
 */
export async function appendToOutbox(
  manager: EntityManager,
  events: TongbanEvent | readonly TongbanEvent[],
): Promise<void> {
  const list = (Array.isArray(events) ? events : [events]) as readonly TongbanEvent[];
  if (list.length === 0) return;
  const headers = JSON.stringify(traceHeadersForNewMessage());
  const values: unknown[] = [];
  const rows = list.map((event, index) => {
    const valid = parseEvent(event);
    values.push(valid.eventId, topicOf(valid), valid.caseId, JSON.stringify(valid), headers);
    const base = index * 5;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, $${base + 5}::jsonb)`;
  });
  markOutboxWritten(manager);
  await manager.query(
    `INSERT INTO outbox (event_id, topic, message_key, payload, headers) VALUES ${rows.join(', ')}`,
    values,
  );
}

/** Set in the query runner's data of a transaction that wrote outbox rows; read by the relay. */
export const OUTBOX_WRITTEN = 'tongbanOutboxWritten';

/** Marks the transaction of `manager` as one whose commit wakes this process's relay. */
function markOutboxWritten(manager: EntityManager): void {
  const data = manager.queryRunner?.data as Record<string, unknown> | undefined;
  if (data) data[OUTBOX_WRITTEN] = true;
}
