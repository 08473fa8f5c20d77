import { DELIVERY_FAILURE_REASONS, DELIVERY_METHODS, DELIVERY_STATES } from '@tongban/contracts';
import { validateResidentId } from '@tongban/pii';
import { instant as businessInstant, text } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PICKUP_CODE } from './pickup-code';

const ref = text(500);
const instant = businessInstant().transform((value) => new Date(value));
const future = instant.refine((value) => value.getTime() > Date.now(), 'must be in the future');
const pickupCode = z.string().regex(PICKUP_CODE, 'must be the six-digit pickup code');
const officeId = z.string().regex(/^\d{9}(?:\d{3})?$/, 'must be an office code');
const courierId = z.string().regex(/^[A-Za-z0-9][\w.:-]{0,63}$/, 'must be a courier id');

export const proofSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pickup_code'), code: pickupCode }),
  z.object({
    kind: z.literal('id_last4'),
    idLast4: z.string().regex(/^\d{3}[\dXx]$/, 'must be the last four characters of the ID number'),
  }),
]);

export class ListParcelsDto extends createZodDto(
  z.object({
    state: z.enum(DELIVERY_STATES, { message: `must be one of ${DELIVERY_STATES.join(', ')}` }).optional(),
    method: z.enum(DELIVERY_METHODS, { message: `must be one of ${DELIVERY_METHODS.join(', ')}` }).optional(),
    includeFinal: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .default(false),
    due: z.enum(['today'], { message: 'must be today' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  }),
) {}

export class PickUpParcelsDto extends createZodDto(
  z.object({
    parcelIds: z.array(z.uuid()).min(1, 'must list at least one parcel').max(50, 'at most 50 parcels'),
    /** Reference to the courier's signature on the receipt (回执单), e.g. an image in the document store. */
    signatureRef: ref,
  }),
) {}

export class DeliverParcelDto extends createZodDto(
  z
    .object({ proof: proofSchema, signatureRef: ref.optional(), photoRef: ref.optional() })
    .refine((body) => body.signatureRef !== undefined || body.photoRef !== undefined, {
      message: 'a delivery needs the applicant’s signature or a photo',
      path: ['signatureRef'],
    }),
) {}

export class FailedAttemptDto extends createZodDto(
  z.object({
    reason: z.enum(DELIVERY_FAILURE_REASONS, {
      message: `must be one of ${DELIVERY_FAILURE_REASONS.join(', ')}`,
    }),
    /** Agreed with the applicant by phone, when they could be reached. */
    nextAttemptAt: future.optional(),
  }),
) {}

export class RescheduleDto extends createZodDto(z.object({ nextAttemptAt: future })) {}

export class AssignCourierDto extends createZodDto(z.object({ courierId })) {}

export class PostParcelDto extends createZodDto(
  z.object({
    postalTrackingNumber: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{8,30}$/, 'must be the postal tracking number'),
  }),
) {}

const residentId = z.string().transform((value, ctx) => {
  const result = validateResidentId(value.trim());
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: `${result.reason}: ${result.message}` });
    return z.NEVER;
  }
  return result.value;
});

export class WindowHandoverDto extends createZodDto(
  z.object({
    proof: z.object({ kind: z.literal('pickup_code'), code: pickupCode }),
    signatureRef: ref.optional(),
    /** 帮办代办: the agent collects for the applicant; the window checks the agent's ID card. */
    agent: z.object({ idNumber: residentId }).optional(),
  }),
) {}

export class SwitchToPickupDto extends createZodDto(z.object({ officeId })) {}

/** The applicant names the parcel by its tracking number or by the case's receipt number (受理编号). */
export class ApplicantSwitchDto extends createZodDto(
  z
    .object({
      trackingNumber: z
        .string()
        .regex(/^TB\d{12}$/, 'must be the parcel’s tracking number')
        .optional(),
      receipt: z
        .string()
        .regex(/^\d{9}(?:\d{3})?-\d{8}-\d{4,9}$/, 'must be the receipt number on the 受理回执')
        .optional(),
      phoneLast4: z.string().regex(/^\d{4}$/, 'must be the last four digits of the applicant’s phone'),
      officeId,
    })
    .refine((body) => (body.trackingNumber === undefined) !== (body.receipt === undefined), {
      message: 'give either the tracking number or the receipt number',
      path: ['receipt'],
    }),
) {}
