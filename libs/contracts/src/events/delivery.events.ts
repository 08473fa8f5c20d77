import { z } from 'zod';
import { actorSchema, officeId, utcInstant } from '../common.schemas';
import { defineEvent } from '../envelope';
import { DELIVERY_FAILURE_REASONS, DELIVERY_METHODS, DELIVERY_STATES } from '../enums';
import { TOPICS } from '../topics';

export const deliveryUpdatedV1 = defineEvent(
  TOPICS.deliveryUpdated,
  1,
  z.object({
    parcelId: z.uuid(),
    trackingNumber: z.string().min(1).max(64),
    method: z.enum(DELIVERY_METHODS),
    state: z.enum(DELIVERY_STATES),
    previousState: z.enum(DELIVERY_STATES).optional(),
    failureReason: z.enum(DELIVERY_FAILURE_REASONS).optional(),
    attempt: z.number().int().min(0),
    nextAttemptAt: utcInstant.optional(),
    officeId: officeId.optional(),
    courierId: z.string().min(1).max(64).optional(),
    place: z.string().min(1).max(200).optional(),
    actor: actorSchema,
  }),
);
