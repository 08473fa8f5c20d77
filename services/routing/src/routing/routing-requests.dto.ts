import { code as codeSchema, freeText, instant as businessInstant } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const code = codeSchema();
const districtCode = z.string().regex(/^\d{6}$/, 'must be a six-digit district code');
const instant = businessInstant('must be an ISO-8601 instant with a time zone');
const reason = freeText(500);

export const dryRunSchema = z.object({
  itemCode: code,
  officeId: code,
  applicant: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('person'), householdDistrict: districtCode }),
    z.object({ kind: z.literal('company'), registeredDistrict: districtCode }),
  ]),
  /** When the case would be accepted (the SLA clock's start); defaults to now. */
  acceptedAt: instant.optional(),
  /** Whose rules to apply; defaults to now. */
  rulesAt: instant.optional(),
});

export class DryRunDto extends createZodDto(dryRunSchema) {}

const manualAssignment = {
  departmentId: code,
  parallelDepartmentIds: z.array(code).max(5).default([]),
};

export const assignTriageSchema = z.object({
  ...manualAssignment,
  /** Only for an item the catalogue does not know: its statutory time limit in working days. */
  timeLimitDays: z.number().int().min(1).max(365).optional(),
  reason,
});

export class AssignTriageDto extends createZodDto(assignTriageSchema) {}

export const rerouteSchema = z.object({
  /** The routing being corrected: a re-route of a routing that is no longer current is refused. */
  supersedesRoutingId: z.uuid(),
  /** The department to send the case to; absent = route again by the rules in force now. */
  departmentId: code.optional(),
  parallelDepartmentIds: z.array(code).max(5).optional(),
  reason,
});

export class RerouteDto extends createZodDto(rerouteSchema) {}

export const listTriageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export class ListTriageDto extends createZodDto(listTriageSchema) {}
