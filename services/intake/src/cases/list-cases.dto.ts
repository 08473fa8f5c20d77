import { CASE_STATES } from '@tongban/contracts';
import { code, instant, pageCursor } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const listCasesSchema = z
  .object({
    officeId: code().optional(),
    status: z.enum(CASE_STATES, { message: `must be one of ${CASE_STATES.join(', ')}` }).optional(),
    itemCode: code().optional(),
    from: instant().optional(),
    to: instant().optional(),
    overdue: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    promiseBroken: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    cursor: pageCursor().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'must not be before from',
    path: ['to'],
  });

export type ListCasesQuery = z.output<typeof listCasesSchema>;

export class ListCasesDto extends createZodDto(listCasesSchema) {}
