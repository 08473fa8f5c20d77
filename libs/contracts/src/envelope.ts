import { z } from 'zod';
import { utcInstant } from './common.schemas';
import { SERVICE_PRODUCERS } from './enums';
import type { TopicName } from './topics';

/**
 * The envelope every event travels in (docs/event-contracts.md). `type` names the event and equals the
 * topic it is published to; `version` is the schema version of `payload`.
 */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: utcInstant,
  caseId: z.uuid(),
  producer: z.enum(SERVICE_PRODUCERS),
  payload: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** One (type, version) pair with its full schema: the envelope with a typed payload. */
export function defineEvent<Type extends TopicName, Version extends number, Payload extends z.ZodType>(
  type: Type,
  version: Version,
  payload: Payload,
) {
  return Object.freeze({
    type,
    version,
    schema: envelopeSchema.extend({
      type: z.literal(type),
      version: z.literal(version),
      payload,
    }),
  });
}
