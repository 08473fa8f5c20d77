import { freeText, pageCursor } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { residentId } from './submit-case.dto';

/**
 * Staff search: by receipt number, applicant ID number (matched through its lookup hash, never
 * stored or compared in clear) or applicant name. In the body, never the URL, so the ID number
 * stays out of access logs and traces.
 */
export const searchCasesSchema = z
  .object({
    receiptNumber: z
      .string()
      .regex(/^\d{9}(?:\d{3})?-\d{8}-\d{4}$/, 'must be a receipt number such as 440306001-20261124-0001')
      .optional(),
    idNumber: residentId.optional(),
    applicantName: freeText(200).optional(),
    cursor: pageCursor().optional(),
    limit: z.int().min(1).max(100).default(20),
  })
  .refine((body) => body.receiptNumber ?? body.idNumber ?? body.applicantName, {
    message: 'name at least one of receiptNumber, idNumber, applicantName',
    path: ['(body)'],
  });

export type SearchCasesInput = z.output<typeof searchCasesSchema>;

export class SearchCasesDto extends createZodDto(searchCasesSchema) {}
