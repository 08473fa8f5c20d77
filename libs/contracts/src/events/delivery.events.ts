import { z } from 'zod';
import { actorSchema, officeId, sealedTextSchema, utcInstant } from '../common.schemas';
import { defineEvent } from '../envelope';
import { DELIVERY_FAILURE_REASONS, DELIVERY_METHODS, DELIVERY_STATES } from '../enums';
import { TOPICS } from '../topics';

const deliveryUpdatedPayload = z.object({
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
});

export const deliveryUpdatedV1 = defineEvent(TOPICS.deliveryUpdated, 1, deliveryUpdatedPayload);

/**
 * v2: a change that issued a pickup code carries it sealed (AES-GCM under PII_ENCRYPTION_KEYS, the
 * mask hides every digit), so the notification service can text it to the applicant; the code is
 * never in clear on Kafka. `issue` counts the parcel's codes (a reissue is a new one), and a
 * reissue is published as an update whose state did not change.
 */
export const deliveryUpdatedV2 = defineEvent(
  TOPICS.deliveryUpdated,
  2,
  deliveryUpdatedPayload.extend({
    pickupCode: z
      .object({
        code: sealedTextSchema,
        expiresAt: utcInstant,
        issue: z.number().int().positive(),
      })
      .optional(),
  }),
);
