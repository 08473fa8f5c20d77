import { z } from 'zod';
import {
  actorSchema,
  caseSnapshotSchema,
  caseSnapshotV2Schema,
  departmentId,
  utcInstant,
} from '../common.schemas';
import { defineEvent } from '../envelope';
import { DECISION_KINDS, DECISION_ORIGINS, SLA_EVENT_KINDS } from '../enums';
import { TOPICS } from '../topics';

export const caseSupplementRequestedV1 = defineEvent(
  TOPICS.caseSupplementRequested,
  1,
  z.object({
    requestId: z.uuid(),
    departmentId,
    round: z.number().int().positive(),
    // 一次性告知: every missing or wrong material of the round, each with its reason.
    items: z
      .array(
        z.object({
          materialCode: z.string().min(1).max(64),
          materialName: z.string().min(1).max(200),
          reason: z.string().min(1).max(500),
        }),
      )
      .min(1),
    dueAt: utcInstant.optional(),
    requestedBy: actorSchema,
  }),
);

export const departmentDecisionSchema = z.object({
  departmentId,
  outcome: z.enum(DECISION_KINDS),
  origin: z.enum(DECISION_ORIGINS),
  reasonCode: z.string().min(1).max(64).optional(),
  reasonText: z.string().min(1).max(1000).optional(),
  decidedBy: actorSchema,
  decidedAt: utcInstant,
});

const resultDocumentSchema = z.object({
  number: z.string().min(1).max(64),
  title: z.string().min(1).max(200),
  departmentId,
  issuedAt: utcInstant,
});

const caseDecidedPayload = z.object({
  outcome: z.enum(DECISION_KINDS),
  origin: z.enum(DECISION_ORIGINS),
  departmentDecisions: z.array(departmentDecisionSchema).min(1),
  /** The primary department's document (or the first issued), as before N证联办 listed them all. */
  resultDocument: resultDocumentSchema.optional(),
  /**
   * N证联办: every department's document of an approval, primary first; the parcel carries them
   * all. Added within each version: absent from events written before.
   */
  resultDocuments: z.array(resultDocumentSchema).optional(),
  rejection: z
    .object({ reasonCode: z.string().min(1).max(64), text: z.string().min(1).max(1000) })
    .optional(),
  /** The 秒批 rule checks evaluated, so a system decision can be explained afterwards. */
  autoChecks: z
    .array(z.object({ check: z.string().min(1), passed: z.boolean(), detail: z.string().optional() }))
    .optional(),
  paperNoticeRequested: z.boolean().default(false),
  case: caseSnapshotSchema,
});

function withDecisionRules<
  Payload extends z.ZodType<{ outcome: string; resultDocument?: unknown; rejection?: unknown }>,
>(payload: Payload) {
  return payload
    .refine((decision) => decision.outcome !== 'approved' || decision.resultDocument !== undefined, {
      message: 'an approval carries its result document',
      path: ['resultDocument'],
    })
    .refine((decision) => decision.outcome !== 'rejected' || decision.rejection !== undefined, {
      message: 'a rejection carries its reason',
      path: ['rejection'],
    });
}

export const caseDecidedV1 = defineEvent(TOPICS.caseDecided, 1, withDecisionRules(caseDecidedPayload));

/** v2: the case snapshot without personal data in clear (see caseSnapshotV2Schema). */
export const caseDecidedV2 = defineEvent(
  TOPICS.caseDecided,
  2,
  withDecisionRules(caseDecidedPayload.extend({ case: caseSnapshotV2Schema })),
);

export const caseSlaV1 = defineEvent(
  TOPICS.caseSla,
  1,
  z.object({
    kind: z.enum(SLA_EVENT_KINDS),
    departmentId,
    dueAt: utcInstant,
    /** Share of the statutory time used when the event fired, 0..1 (above 1 once overdue). */
    usedShare: z.number().min(0),
    escalatedToRole: z.literal('supervisor').optional(),
  }),
);
