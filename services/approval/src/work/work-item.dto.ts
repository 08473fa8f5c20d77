import { localDateOf } from '@tongban/reference-data';
import { calendarDate, code, freeText } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { WORK_ITEM_STATES } from '../domain/parallel-join';

const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((value) => value === 'true')
  .optional();

export const listWorkItemsSchema = z.object({
  /** Absent: the items still being worked on (open and awaiting a supplement). */
  state: z.enum(WORK_ITEM_STATES, { message: `must be one of ${WORK_ITEM_STATES.join(', ')}` }).optional(),
  itemCode: code().optional(),
  /** The warning share of the clock is used up but the case is not overdue yet. */
  dueSoon: flag,
  overdue: flag,
  escalated: flag,
  /** Only the items the caller has claimed. */
  mine: flag,
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListWorkItemsQuery = z.output<typeof listWorkItemsSchema>;
export class ListWorkItemsDto extends createZodDto(listWorkItemsSchema) {}

export class ApproveDto extends createZodDto(
  z.object({
    validUntil: calendarDate()
      .refine((date) => date >= localDateOf(new Date()), 'must not be before today (China time)')
      .optional(),
    remarks: freeText(500).optional(),
    /** The applicant also wants the paper decision (纸质决定书) with the delivery. */
    paperNoticeRequested: z.boolean().default(false),
  }),
) {}

export const REJECTION_REASONS = [
  'not_eligible',
  'materials_invalid',
  'outside_competence',
  'duplicate_application',
  'false_information',
  'other',
] as const;

export class RejectDto extends createZodDto(
  z.object({
    reasonCode: z.enum(REJECTION_REASONS, { message: `must be one of ${REJECTION_REASONS.join(', ')}` }),
    text: freeText(1000, 'must explain the refusal'),
  }),
) {}

export class RequestSupplementsDto extends createZodDto(
  z.object({
    /** 一次性告知: every missing or wrong material of this round, each with its reason. */
    items: z
      .array(
        z.object({
          materialCode: code(),
          materialName: freeText(200).optional(),
          reason: freeText(500, 'must say what is missing or wrong'),
        }),
      )
      .min(1, 'must list at least one material')
      .max(50, 'at most 50 materials')
      .refine((items) => new Set(items.map((item) => item.materialCode)).size === items.length, {
        message: 'must list each material once',
      }),
  }),
) {}
