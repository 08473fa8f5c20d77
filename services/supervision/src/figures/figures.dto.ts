import { calendarDate } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { FIGURE_DIMENSIONS } from './figures';

const DAY_MS = 86_400_000;

export class FiguresQueryDto extends createZodDto(
  z
    .object({
      dimension: z.enum(FIGURE_DIMENSIONS, { message: `must be one of ${FIGURE_DIMENSIONS.join(', ')}` }),
      from: calendarDate(),
      to: calendarDate(),
    })
    .superRefine((value, ctx) => {
      const days = (Date.parse(value.to) - Date.parse(value.from)) / DAY_MS;
      if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if (days > 366)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be within 366 days of from' });
    }),
) {}

export class RankingQueryDto extends createZodDto(
  z.object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
      .refine((value) => value >= '2000-01' && value <= '2199-12', 'must be a month between 2000 and 2199'),
  }),
) {}
