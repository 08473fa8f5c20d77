import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const NOTIFICATION_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'cancelled'] as const;

export class ListNotificationsDto extends createZodDto(
  z.object({
    caseId: z.uuid({ message: 'must be a case id (UUID)' }).optional(),
    status: z
      .enum(NOTIFICATION_STATUSES, { message: `must be one of ${NOTIFICATION_STATUSES.join(', ')}` })
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  }),
) {}
