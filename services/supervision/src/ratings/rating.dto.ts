import { RATING_STAGES, SATISFACTION_LEVELS } from '@tongban/contracts';
import { maskedFreeText } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const stage = z.enum(RATING_STAGES, { message: `must be one of ${RATING_STAGES.join(', ')}` });
const level = z.enum(SATISFACTION_LEVELS, {
  message: `must be one of ${SATISFACTION_LEVELS.join(', ')} (非常满意 … 非常不满意)`,
});

// <office>-<yyyymmdd>-<sequence>, as on the 受理回执.
const receipt = z
  .string()
  .trim()
  .regex(/^\d{9}(?:\d{3})?-\d{8}-\d{4,9}$/, 'must be the receipt number on the 受理回执');
const phoneLast4 = z.string().regex(/^\d{4}$/, 'must be the last four digits of the applicant’s phone');

// The applicant's comment is kept with any ID or phone number in it masked, as intake keeps it.
const rating = { stage, level, comment: maskedFreeText(500).optional() };

/** The applicant's own rating (page or phone line): the proof travels in the body, never in a URL. */
export class ApplicantRatingDto extends createZodDto(
  z.object({
    receipt,
    phoneLast4,
    ...rating,
    channel: z.enum(['app', 'phone'], { message: 'must be app or phone' }).default('app'),
  }),
) {}

/** At the window's rating pad, for a case of the staff member's office. */
export class WindowRatingDto extends createZodDto(
  z.object({ caseId: z.uuid({ message: 'must be a case id (UUID)' }), ...rating }),
) {}

export class CaseRatingsDto extends createZodDto(
  z.object({ caseId: z.uuid({ message: 'must be a case id (UUID)' }) }),
) {}
