import { maskedFreeText } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { materialInput } from './submit-case.dto';

// <office>-<yyyymmdd>-<sequence>: the sequence has 4 digits, more after the 9,999th case of a day.
const receipt = z
  .string()
  .trim()
  .regex(/^\d{9}(?:\d{3})?-\d{8}-\d{4,9}$/, 'must be the receipt number on the 受理回执');
const phoneLast4 = z.string().regex(/^\d{4}$/, 'must be the last four digits of the applicant’s phone');

export class SupplementCaseDto extends createZodDto(
  z.object({
    materials: z
      .array(materialInput)
      .min(1, 'must list at least one material')
      .max(50, 'at most 50 materials'),
  }),
) {}

// The applicant's proof travels in a POST body: never in a URL, a log line or a browser history.
export class TrackCaseDto extends createZodDto(z.object({ receipt, phoneLast4 })) {}

export const RATING_TAGS = [
  'fast',
  'friendly',
  'clear_guidance',
  'one_visit',
  'slow',
  'unclear',
  'repeated_visits',
] as const;

const ratingFields = {
  score: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
  comment: maskedFreeText(500).optional(),
  tags: z
    .array(z.enum(RATING_TAGS, { message: `must be one of ${RATING_TAGS.join(', ')}` }))
    .max(5)
    .default([]),
};

export class RateCaseDto extends createZodDto(
  z.object({
    receipt,
    phoneLast4,
    ...ratingFields,
    channel: z.enum(['window', 'sms', 'app', 'phone']).default('app'),
  }),
) {}

/** Through the text message's link the case is named by the link: only the rating itself. */
export class RateByLinkDto extends createZodDto(z.object(ratingFields)) {}
