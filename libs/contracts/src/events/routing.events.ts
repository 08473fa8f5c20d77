import { z } from 'zod';
import {
  actorSchema,
  caseSnapshotSchema,
  caseSnapshotV2Schema,
  departmentId,
  itemCode,
  regionCode,
  utcInstant,
} from '../common.schemas';
import { defineEvent } from '../envelope';
import { ASSIGNMENT_ROLES, JURISDICTION_BASES, UNROUTABLE_REASONS } from '../enums';
import { TOPICS } from '../topics';

export const assignmentSchema = z.object({
  departmentId,
  /** The department's district, or its city for a city-level department (e.g. 4403-ybj). */
  districtCode: regionCode,
  role: z.enum(ASSIGNMENT_ROLES),
});

const caseRoutedPayload = z.object({
  /** Identifies this routing decision; a re-route names the one it supersedes. */
  routingId: z.uuid(),
  supersedesRoutingId: z.uuid().optional(),
  case: caseSnapshotSchema,
  assignments: z
    .array(assignmentSchema)
    .min(1)
    .refine((list) => list.filter((a) => a.role === 'primary').length === 1, {
      message: 'exactly one assignment must be primary',
    }),
  crossDistrict: z.boolean(),
  basis: z.enum(JURISDICTION_BASES),
  /** The rule version used; absent when an operator assigned the case by hand. */
  rule: z.object({ ruleId: z.string().min(1), version: z.number().int().positive() }).optional(),
  timeLimitDays: z.number().int().positive(),
  slaDueAt: utcInstant,
  reason: z.string().max(500).optional(),
  routedBy: actorSchema,
});

export const caseRoutedV1 = defineEvent(TOPICS.caseRouted, 1, caseRoutedPayload);

/** v2: the case snapshot without personal data in clear (see caseSnapshotV2Schema). */
export const caseRoutedV2 = defineEvent(
  TOPICS.caseRouted,
  2,
  caseRoutedPayload.extend({ case: caseSnapshotV2Schema }),
);

export const caseUnroutableV1 = defineEvent(
  TOPICS.caseUnroutable,
  1,
  z.object({
    itemCode,
    reason: z.enum(UNROUTABLE_REASONS),
    detail: z.string().min(1).max(500),
    rule: z.object({ ruleId: z.string().min(1), version: z.number().int().positive() }).optional(),
  }),
);
