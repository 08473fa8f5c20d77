import { calendarDate } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { periodStarting, REPORT_KINDS } from './report-periods';

const kind = z.enum(REPORT_KINDS, { message: `must be one of ${REPORT_KINDS.join(', ')}` });

export class GenerateReportDto extends createZodDto(
  z.object({ kind, from: calendarDate() }).superRefine((value, ctx) => {
    // Runs even when a field failed its own check: that issue already names it.
    if (!kind.safeParse(value.kind).success || !calendarDate().safeParse(value.from).success) return;
    const period = periodStarting(value.kind, value.from);
    if (typeof period === 'string')
      ctx.addIssue({ code: 'custom', path: ['from'], message: `must start the period: ${period}` });
  }),
) {}

export class ListReportsDto extends createZodDto(
  z.object({ kind: kind.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
) {}
