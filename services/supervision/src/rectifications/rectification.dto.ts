import { freeText } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { RECTIFICATION_STATES } from './rectification-machine';

// Staff free text: refused (400 naming the field) when it holds an ID or phone number.
const note = freeText(500, 'must say what was done');

export class ListRectificationsDto extends createZodDto(
  z.object({
    state: z
      .enum(RECTIFICATION_STATES, { message: `must be one of ${RECTIFICATION_STATES.join(', ')}` })
      .optional(),
    overdue: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional(),
    caseId: z.uuid({ message: 'must be a case id (UUID)' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  }),
) {}

export class ReturnVisitDto extends createZodDto(z.object({ note })) {}

export class VerificationDto extends createZodDto(
  z.object({
    verdict: z.enum(['confirmed', 'not_confirmed'], { message: 'must be confirmed or not_confirmed' }),
    note,
  }),
) {}

export class RectifiedDto extends createZodDto(z.object({ note })) {}

export class AppealDto extends createZodDto(
  z.object({ reason: freeText(500, 'must say why the rating is wrong') }),
) {}

export class AppealDecisionDto extends createZodDto(
  z.object({
    decision: z.enum(['upheld', 'rejected'], { message: 'must be upheld or rejected' }),
    note,
  }),
) {}
