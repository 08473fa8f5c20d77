import { CASE_STATES } from '@tongban/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const listCasesSchema = z
  .object({
    officeId: z.string().min(1).max(64).optional(),
    status: z.enum(CASE_STATES, { message: `must be one of ${CASE_STATES.join(', ')}` }).optional(),
    itemCode: z.string().min(1).max(64).optional(),
    from: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).optional(),
    overdue: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: 'must not be before from',
    path: ['to'],
  });

export type ListCasesQuery = z.output<typeof listCasesSchema>;

export class ListCasesDto extends createZodDto(listCasesSchema) {}
