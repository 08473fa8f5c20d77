import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type EventOf, type EventType, parseEventOf } from '@tongban/contracts';

const FIXTURES = path.resolve(__dirname, '../../contracts/fixtures/v1');

/** The first version of an event type, which every type has and every consumer still reads. */
export type V1EventOf<Type extends EventType> = Extract<EventOf<Type>, { version: 1 }>;

export interface SampleOverrides<Type extends EventType> {
  readonly caseId?: string;
  readonly eventId?: string;
  readonly occurredAt?: string;
  readonly payload?: Partial<V1EventOf<Type>['payload']>;
}

/**
 * A valid event of a type, built from its published v1 fixture, with fresh ids by default. Later
 * versions are produced by the services themselves (the end-to-end suite covers them).
 */
export function sampleEvent<Type extends EventType>(
  type: Type,
  overrides: SampleOverrides<Type> = {},
): V1EventOf<Type> {
  const fixture = JSON.parse(readFileSync(path.join(FIXTURES, `${type}.json`), 'utf8')) as V1EventOf<Type>;
  return parseEventOf(type, {
    ...fixture,
    eventId: overrides.eventId ?? randomUUID(),
    caseId: overrides.caseId ?? randomUUID(),
    occurredAt: overrides.occurredAt ?? new Date().toISOString(),
    payload: { ...(fixture as { payload: object }).payload, ...overrides.payload },
  }) as V1EventOf<Type>;
}
