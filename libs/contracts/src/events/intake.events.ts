import { z } from 'zod';
import {
  actorSchema,
  assistanceV2Schema,
  caseSnapshotSchema,
  caseSnapshotV2Schema,
  departmentId,
  materialSchema,
  officeId,
  utcInstant,
} from '../common.schemas';
import { defineEvent } from '../envelope';
import { RATING_CHANNELS } from '../enums';
import { TOPICS } from '../topics';

/** 帮办代办: whether staff filled the case in for the applicant, or a third person brought it. */
export const assistanceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('self') }),
  z.object({ mode: z.literal('staff_assisted') }),
  z.object({
    mode: z.literal('agent'),
    agentName: z.string().min(1).max(100),
    relation: z.string().min(1).max(50),
  }),
]);

export const caseSubmittedV1 = defineEvent(
  TOPICS.caseSubmitted,
  1,
  caseSnapshotSchema.extend({
    submittedBy: actorSchema,
    assistance: assistanceSchema,
  }),
);

/** v2: nothing that identifies the applicant or the agent in clear (see caseSnapshotV2Schema). */
export const caseSubmittedV2 = defineEvent(
  TOPICS.caseSubmitted,
  2,
  caseSnapshotV2Schema.extend({
    submittedBy: actorSchema,
    assistance: assistanceV2Schema,
  }),
);

export const caseSupplementedV1 = defineEvent(
  TOPICS.caseSupplemented,
  1,
  z.object({
    requestId: z.uuid(),
    departmentId,
    round: z.number().int().positive(),
    materials: z.array(materialSchema).min(1),
    supplementedBy: actorSchema,
  }),
);

export const caseRatedV1 = defineEvent(
  TOPICS.caseRated,
  1,
  z.object({
    score: z.number().int().min(1).max(5),
    comment: z.string().max(500).optional(),
    channel: z.enum(RATING_CHANNELS),
    officeId,
    ratedAt: utcInstant,
  }),
);

/**
 * 容缺后补: the window handed in outstanding 容缺 materials (`handed_in`, without a reviewer's
 * request), the deadline is near with some still missing (`reminder`), or it passed with some
 * still missing (`expired`); intake's persisted timer fires each of the last two once.
 * `outstanding` is what is still missing after the event.
 */
export const caseRongqueV1 = defineEvent(
  TOPICS.caseRongque,
  1,
  z.object({
    kind: z.enum(['handed_in', 'reminder', 'expired']),
    officeId,
    materials: z.array(z.string().min(1).max(64)),
    outstanding: z.array(z.string().min(1).max(64)),
    dueAt: utcInstant,
    by: actorSchema.optional(),
  }),
);
