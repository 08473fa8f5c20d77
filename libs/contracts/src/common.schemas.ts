import { z } from 'zod';
import { ACTOR_ROLES, AGE_BANDS, APPLICANT_KINDS, DELIVERY_METHODS } from './enums';

/** An instant, always ISO-8601 in UTC ("Z"), so ordering by string equals ordering by time. */
export const utcInstant = z.iso.datetime();

/** GB/T 2260 six-digit administrative division code of a district (区/县). */
export const districtCode = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 district code');

/** Where a department sits: a district (six digits) or, for a city-level department, its city (four). */
export const regionCode = z
  .string()
  .regex(/^\d{4}(\d{2})?$/, 'must be a six-digit district or four-digit city code (GB/T 2260)');

export const officeId = z.string().min(1).max(64);
export const departmentId = z.string().min(1).max(64);
export const itemCode = z.string().min(1).max(64);

/**
 * Who caused an event. Personal data never travels here: `sub` is the identity provider's
 * subject, not a name or an ID number.
 */
export const actorSchema = z.object({
  sub: z.string().min(1).max(128),
  role: z.enum(ACTOR_ROLES),
  officeId: officeId.optional(),
  departmentId: departmentId.optional(),
  courierId: z.string().min(1).max(64).optional(),
});

/**
 * A personal identifier as it may travel on Kafka: encrypted for the services that need the
 * value, a keyed hash for lookups, and a mask for display. The clear value never leaves intake.
 */
export const protectedValueSchema = z.object({
  ciphertext: z.string().min(1),
  hash: z.string().min(1),
  masked: z.string().min(1),
});

export const addressSchema = z.object({
  districtCode,
  street: z.string().min(1).max(100).optional(),
  detail: z.string().min(1).max(300),
});

export const personApplicantSchema = z.object({
  kind: z.literal(APPLICANT_KINDS[0]),
  name: z.string().min(1).max(100),
  idNumber: protectedValueSchema,
  phone: protectedValueSchema,
  householdDistrict: districtCode,
  birthDate: z.iso.date().optional(),
});

export const companyApplicantSchema = z.object({
  kind: z.literal(APPLICANT_KINDS[1]),
  companyName: z.string().min(1).max(200),
  // 统一社会信用代码 (GB 32100): public business data, not personal.
  creditCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/),
  registeredDistrict: districtCode,
  contactName: z.string().min(1).max(100),
  phone: protectedValueSchema,
});

export const applicantSchema = z.discriminatedUnion('kind', [personApplicantSchema, companyApplicantSchema]);

export const materialSchema = z.object({
  code: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  fileRef: z.string().min(1).max(500).optional(),
  sha256: z
    .string()
    .regex(/^[\da-f]{64}$/)
    .optional(),
});

export const deliveryChoiceSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal(DELIVERY_METHODS[0]), address: addressSchema }),
  z.object({ method: z.literal(DELIVERY_METHODS[1]), address: addressSchema }),
  z.object({ method: z.literal(DELIVERY_METHODS[2]), officeId }),
]);

/**
 * The facts about a case that the downstream services need, carried with the events
 * (event-carried state transfer) so no service has to call another one.
 */
export const caseSnapshotSchema = z.object({
  receiptNumber: z.string().min(1).max(64),
  itemCode,
  acceptingOfficeId: officeId,
  acceptingDistrict: districtCode,
  applicant: applicantSchema,
  materials: z.array(materialSchema),
  missingMaterials: z.array(z.string().min(1).max(64)),
  supplementDueAt: utcInstant.optional(),
  delivery: deliveryChoiceSchema,
});

/*
 * Version 2 of the case snapshot: nothing that identifies a person travels in clear. Names and
 * the street address are sealed (AES-GCM ciphertext, read only by the services that must show or
 * use them, e.g. delivery for the courier), and the birth date gives way to an age band.
 */

/** Personal free text: ciphertext for the services that need the value, a mask for display. */
export const sealedTextSchema = z.object({
  ciphertext: z.string().min(1),
  masked: z.string().min(1).max(300),
});

export const addressV2Schema = z.object({
  districtCode,
  street: z.string().min(1).max(100).optional(),
  detail: sealedTextSchema,
});

export const personApplicantV2Schema = z.object({
  kind: z.literal(APPLICANT_KINDS[0]),
  name: sealedTextSchema,
  idNumber: protectedValueSchema,
  phone: protectedValueSchema,
  householdDistrict: districtCode,
  /** At acceptance, in China time. */
  ageBand: z.enum(AGE_BANDS),
});

export const companyApplicantV2Schema = companyApplicantSchema.extend({ contactName: sealedTextSchema });

export const applicantV2Schema = z.discriminatedUnion('kind', [
  personApplicantV2Schema,
  companyApplicantV2Schema,
]);

export const deliveryChoiceV2Schema = z.discriminatedUnion('method', [
  z.object({ method: z.literal(DELIVERY_METHODS[0]), address: addressV2Schema }),
  z.object({ method: z.literal(DELIVERY_METHODS[1]), address: addressV2Schema }),
  z.object({ method: z.literal(DELIVERY_METHODS[2]), officeId }),
]);

/**
 * 帮办代办 in v2: the agent is identified like the applicant (name sealed, ID number and phone
 * protected values). The ID number and phone were added within v2, so they are optional: an
 * event written before carries the name and relation only.
 */
export const assistanceV2Schema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('self') }),
  z.object({ mode: z.literal('staff_assisted') }),
  z.object({
    mode: z.literal('agent'),
    agentName: sealedTextSchema,
    relation: z.string().min(1).max(50),
    agentIdNumber: protectedValueSchema.optional(),
    agentPhone: protectedValueSchema.optional(),
  }),
]);

export const caseSnapshotV2Schema = caseSnapshotSchema.extend({
  applicant: applicantV2Schema,
  delivery: deliveryChoiceV2Schema,
  /**
   * Who brought the case (帮办代办), carried on with the snapshot so the reviewer's work item and
   * the parcel show the agent and the window can check the agent's ID at collection. Added
   * within v2: absent from snapshots written before.
   */
  assistance: assistanceV2Schema.optional(),
});

/** Which schema a stored snapshot follows, so an event that carries it on goes out in its version. */
export function snapshotVersion(snapshot: AnyCaseSnapshot): 1 | 2 {
  return caseSnapshotV2Schema.safeParse(snapshot).success ? 2 : 1;
}

/** A snapshot of either version (the fields of a case.submitted payload beyond it are dropped). */
export function parseCaseSnapshot(value: unknown): AnyCaseSnapshot {
  const v2 = caseSnapshotV2Schema.safeParse(value);
  return v2.success ? v2.data : caseSnapshotSchema.parse(value);
}

export type Actor = z.infer<typeof actorSchema>;
export type ProtectedValue = z.infer<typeof protectedValueSchema>;
export type Address = z.infer<typeof addressSchema>;
export type Applicant = z.infer<typeof applicantSchema>;
export type Material = z.infer<typeof materialSchema>;
export type DeliveryChoice = z.infer<typeof deliveryChoiceSchema>;
export type CaseSnapshot = z.infer<typeof caseSnapshotSchema>;
export type SealedText = z.infer<typeof sealedTextSchema>;
export type AddressV2 = z.infer<typeof addressV2Schema>;
export type ApplicantV2 = z.infer<typeof applicantV2Schema>;
export type DeliveryChoiceV2 = z.infer<typeof deliveryChoiceV2Schema>;
export type CaseSnapshotV2 = z.infer<typeof caseSnapshotV2Schema>;
export type AssistanceV2 = z.infer<typeof assistanceV2Schema>;
/** A snapshot of either version, as consumers meet them while v1 events are still on Kafka. */
export type AnyCaseSnapshot = CaseSnapshot | CaseSnapshotV2;
