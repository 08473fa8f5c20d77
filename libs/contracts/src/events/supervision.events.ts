import { z } from 'zod';
import { departmentId, officeId, utcInstant } from '../common.schemas';
import { defineEvent } from '../envelope';
import { RATING_STAGES, SATISFACTION_LEVELS } from '../enums';
import { TOPICS } from '../topics';

/** How a 差评's rectification ended, as the rater is told. */
export const RATING_FEEDBACK_OUTCOMES = [
  /** Verified and fixed at once (立行立改). */
  'fixed_on_the_spot',
  /** Verified and rectified within the working-day limit (限期整改). */
  'rectified',
  /** The return visit found no fault of the service; the handler explained why to the rater. */
  'explained',
  /** A review upheld the handler's appeal: the rating was shown to be wrong and no longer counts. */
  'rating_withdrawn',
] as const;
export type RatingFeedbackOutcome = (typeof RATING_FEEDBACK_OUTCOMES)[number];

/**
 * 差评整改反馈: the outcome of a rectification, fed back to the applicant who gave the 差评. The
 * notification service texts it to the case's phone (it holds the contact by caseId), so the
 * event carries no personal data; `note` is the handler's free text, refused when it holds an ID
 * or phone number.
 */
export const caseRatingFeedbackV1 = defineEvent(
  TOPICS.caseRatingFeedback,
  1,
  z.object({
    ratingId: z.uuid(),
    rectificationId: z.uuid(),
    stage: z.enum(RATING_STAGES),
    level: z.enum(SATISFACTION_LEVELS),
    outcome: z.enum(RATING_FEEDBACK_OUTCOMES),
    note: z.string().min(1).max(500),
    receiptNumber: z.string().min(1).max(64),
    itemCode: z.string().min(1).max(64),
    officeId,
    departmentId: departmentId.optional(),
    openedAt: utcInstant,
    fedBackAt: utcInstant,
  }),
);
