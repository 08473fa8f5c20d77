import { code as codeSchema, freeText, instant as businessInstant } from '@tongban/runtime';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const code = codeSchema();
const region = z.string().regex(/^\d{4}(\d{2})?$/, 'must be a four-digit city or six-digit district code');
const instant = businessInstant('must be an ISO-8601 instant with a time zone');

export const addRuleVersionSchema = z.object({
  itemCode: code,
  /** Absent for the item's default rule; a district or city code for an override there. */
  region: region.optional(),
  /** Defaults to now. */
  effectiveFrom: instant.optional(),
  effectiveTo: instant.optional(),
  basis: z
    .enum(['household_district', 'registered_district', 'accepting_office', 'fixed_department'])
    .optional(),
  departmentType: code.optional(),
  departmentId: code.optional(),
  parallelDepartmentTypes: z.array(code).max(5).optional(),
  /** Why the rule changes: kept with the version for whoever explains a routing later. */
  note: freeText(500, 'must say why the rule changes'),
});

export class AddRuleVersionDto extends createZodDto(addRuleVersionSchema) {}

export const listRulesSchema = z.object({
  itemCode: code.optional(),
  /** The instant whose rules to show; defaults to now. */
  at: instant.optional(),
});

export class ListRulesDto extends createZodDto(listRulesSchema) {}

/** A rule's id in a path: `ITEM` or `ITEM@REGION`, as ruleIdFor makes it. */
export class RuleIdParamDto extends createZodDto(
  z.object({
    ruleId: z.string().regex(/^[A-Za-z0-9][\w.-]{0,63}(?:@\d{4}(?:\d{2})?)?$/, 'must be ITEM or ITEM@REGION'),
  }),
) {}
