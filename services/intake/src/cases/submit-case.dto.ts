import { DELIVERY_METHODS } from '@tongban/contracts';
import { normalizePhone, validateResidentId } from '@tongban/pii';
import { code as codeSchema, fieldIssuesOf, freeText, invalidRequest } from '@tongban/runtime';
import { idempotencyKeyIssues } from './idempotency-store';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const districtCode = z.string().regex(/^\d{6}$/, 'must be a six-digit district code');
const code = codeSchema();

export const residentId = z.string().transform((value, ctx) => {
  const result = validateResidentId(value.trim());
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: `${result.reason}: ${result.message}` });
    return z.NEVER;
  }
  return result.value;
});

const phone = z.string().transform((value, ctx) => {
  const normalised = normalizePhone(value);
  if (!normalised) {
    ctx.addIssue({ code: 'custom', message: 'must be a mainland mobile number (11 digits starting 13-19)' });
    return z.NEVER;
  }
  return normalised;
});

const address = z.object({ districtCode, street: freeText(100).optional(), detail: freeText(300) });

const person = z.object({
  kind: z.literal('person'),
  name: freeText(100),
  idNumber: residentId,
  phone,
  householdDistrict: districtCode,
});

const company = z.object({
  kind: z.literal('company'),
  companyName: freeText(200),
  creditCode: z
    .string()
    .trim()
    .regex(
      /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
      'must be an 18-character unified social credit code',
    ),
  registeredDistrict: districtCode,
  contactName: freeText(100),
  phone,
});

/** A material handed in at the window: its code in the item's list, a file reference and hash. */
export const materialInput = z.object({
  code,
  name: freeText(200),
  fileRef: freeText(500).optional(),
  sha256: z
    .string()
    .regex(/^[\da-f]{64}$/, 'must be a lower-case hex SHA-256')
    .optional(),
});

export const submitCaseSchema = z.object({
  itemCode: code,
  applicant: z.discriminatedUnion('kind', [person, company], {
    error: 'must be a person (kind "person") or a company (kind "company")',
  }),
  materials: z.array(materialInput).max(50, 'at most 50 materials'),
  delivery: z.discriminatedUnion('method', [
    z.object({ method: z.literal(DELIVERY_METHODS[0]), address }),
    z.object({ method: z.literal(DELIVERY_METHODS[1]), address }),
    z.object({ method: z.literal(DELIVERY_METHODS[2]), officeId: code }),
  ]),
  // 帮办代办: staff filled the case in for the applicant, or a third person brought it.
  assistance: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('self') }),
      z.object({ mode: z.literal('staff_assisted') }),
      // 代办 needs the agent's own identity: the window checks it at collection.
      z.object({
        mode: z.literal('agent'),
        agentName: freeText(100),
        relation: freeText(50),
        agentIdNumber: residentId,
        agentPhone: phone,
      }),
    ])
    .default({ mode: 'self' }),
});

export type SubmitCaseInput = z.output<typeof submitCaseSchema>;

export class SubmitCaseDto extends createZodDto(submitCaseSchema) {}

/**
 * The body and the Idempotency-Key header checked together, so one 400 names every offending
 * field of the request instead of the header's problem only after the body is fixed.
 */
export function parseSubmission(body: unknown, idempotencyKey: string | undefined): SubmitCaseInput {
  const parsed = submitCaseSchema.safeParse(body);
  const issues = [
    ...(parsed.success ? [] : fieldIssuesOf(parsed.error)),
    ...idempotencyKeyIssues(idempotencyKey),
  ];
  if (issues.length > 0 || !parsed.success) throw invalidRequest(issues);
  return parsed.data;
}
