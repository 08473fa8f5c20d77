import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { envelopeSchema } from './envelope';
import type { Producer } from './enums';
import { caseDecidedV1, caseDecidedV2, caseSlaV1, caseSupplementRequestedV1 } from './events/approval.events';
import { deliveryUpdatedV1, deliveryUpdatedV2 } from './events/delivery.events';
import {
  caseRatedV1,
  caseRongqueV1,
  caseSubmittedV1,
  caseSubmittedV2,
  caseSupplementedV1,
} from './events/intake.events';
import { caseRoutedV1, caseRoutedV2, caseUnroutableV1 } from './events/routing.events';
import { caseRatingFeedbackV1 } from './events/supervision.events';
import type { TopicName } from './topics';

/**
 * Every (type, version) the system understands. Producers emit the latest version of a type;
 * consumers accept every version listed here until no producer emits it any more.
 */
export const EVENT_DEFINITIONS = Object.freeze([
  caseSubmittedV1,
  caseSubmittedV2,
  caseSupplementedV1,
  caseRoutedV1,
  caseRoutedV2,
  caseUnroutableV1,
  caseSupplementRequestedV1,
  caseDecidedV1,
  caseDecidedV2,
  caseSlaV1,
  deliveryUpdatedV1,
  deliveryUpdatedV2,
  caseRatedV1,
  caseRongqueV1,
  caseRatingFeedbackV1,
] as const);

type Definition = (typeof EVENT_DEFINITIONS)[number];

/** Any valid event, discriminated by `type` (and `version`). */
export type TongbanEvent = z.output<Definition['schema']>;
export type EventType = TongbanEvent['type'];
export type EventOf<Type extends EventType> = Extract<TongbanEvent, { type: Type }>;
export type PayloadOf<Type extends EventType> = EventOf<Type>['payload'];

export interface EventIssue {
  readonly path: string;
  readonly message: string;
}

/** Why a value is not a valid event, with one entry per offending field. */
export class EventValidationError extends Error {
  constructor(readonly issues: readonly EventIssue[]) {
    super(
      `invalid event: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'EventValidationError';
  }
}

export type SafeParseResult<Event> =
  | { readonly success: true; readonly event: Event }
  | { readonly success: false; readonly error: EventValidationError };

function issuesOf(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

function definitionFor(type: string, version: number): Definition | undefined {
  return EVENT_DEFINITIONS.find((definition) => definition.type === type && definition.version === version);
}

export function latestVersion(type: EventType): number {
  return Math.max(
    ...EVENT_DEFINITIONS.filter((definition) => definition.type === type).map(
      (definition) => definition.version,
    ),
  );
}

export function safeParseEvent(raw: unknown): SafeParseResult<TongbanEvent> {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { success: false, error: new EventValidationError(issuesOf(envelope.error)) };
  const { type, version } = envelope.data;
  const definition = definitionFor(type, version);
  if (!definition) {
    return {
      success: false,
      error: new EventValidationError([
        { path: 'type', message: `unsupported event type "${type}" version ${version}` },
      ]),
    };
  }
  const parsed = definition.schema.safeParse(raw);
  return parsed.success
    ? { success: true, event: parsed.data as TongbanEvent }
    : { success: false, error: new EventValidationError(issuesOf(parsed.error)) };
}

export function parseEvent(raw: unknown): TongbanEvent {
  const result = safeParseEvent(raw);
  if (!result.success) throw result.error;
  return result.event;
}

/** Parses an event that must be of one type, e.g. the only type a topic carries. */
export function safeParseEventOf<Type extends EventType>(
  type: Type,
  raw: unknown,
): SafeParseResult<EventOf<Type>> {
  const result = safeParseEvent(raw);
  if (result.success && result.event.type !== type) {
    return {
      success: false,
      error: new EventValidationError([
        { path: 'type', message: `expected "${type}" but got "${result.event.type}"` },
      ]),
    };
  }
  return result as SafeParseResult<EventOf<Type>>;
}

export function parseEventOf<Type extends EventType>(type: Type, raw: unknown): EventOf<Type> {
  const result = safeParseEventOf(type, raw);
  if (!result.success) throw result.error;
  return result.event;
}

export interface NewEvent<Type extends EventType> {
  readonly type: Type;
  readonly caseId: string;
  readonly producer: Producer;
  readonly payload: z.input<Extract<Definition, { type: Type }>['schema']>['payload'];
  readonly eventId?: string;
  readonly occurredAt?: Date;
  /**
   * Defaults to the latest. An event that carries a case snapshot on goes out in the snapshot's
   * version (`snapshotVersion`): a case accepted before v2 keeps its v1 snapshot to the end.
   */
  readonly version?: number;
}

/**
 * Builds an event in the latest version of its type and validates it, so an invalid event fails
 * in the producer's transaction rather than in every consumer.
 */
export function createEvent<Type extends EventType>(input: NewEvent<Type>): EventOf<Type> {
  return parseEventOf(input.type, {
    eventId: input.eventId ?? randomUUID(),
    type: input.type,
    version: input.version ?? latestVersion(input.type),
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    caseId: input.caseId,
    producer: input.producer,
    payload: input.payload,
  });
}

/** The topic an event is published to: its type, by the registry's convention. */
export function topicOf(event: Pick<TongbanEvent, 'type'>): TopicName {
  return event.type;
}
