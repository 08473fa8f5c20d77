import { APPLICANT_KINDS, DELIVERY_METHODS, JURISDICTION_BASES, districtCode } from '@tongban/contracts';
import { z } from 'zod';

/**
 * One zod schema per data file. Types are inferred from these, never written by hand. Objects
 * are strict: an unknown key in a data file is a typo until proven otherwise.
 *
 * These schemas check each file on its own; rules that need several files (a department type an
 * item names exists in every district that may handle it, ...) live in validate.ts.
 */

/** "2026.11.1": year.month.sequence of the data release. */
export const dataVersion = z
  .string()
  .regex(/^\d{4}\.(?:[1-9]|1[0-2])\.\d+$/, 'must look like 2026.11.1 (year.month.sequence)');

const header = {
  $comment: z.string().min(1),
  version: dataVersion,
};

const name = z.string().min(1).max(200);
const localDate = z.iso.date();

export const provinceCode = z.string().regex(/^\d{2}$/, 'must be a two-digit province code');
export const cityCode = z.string().regex(/^\d{4}$/, 'must be a four-digit city code');
export const streetCode = z.string().regex(/^\d{9}$/, 'must be a nine-digit street/town code');
export const communityCode = z.string().regex(/^\d{12}$/, 'must be a twelve-digit community/village code');
/** A city (4 digits) or a district (6 digits): the area a department or a scope covers. */
export const regionCode = z.string().regex(/^\d{4}(?:\d{2})?$/, 'must be a city (4) or district (6) code');
export const departmentType = z.string().regex(/^[a-z]{2,8}$/, 'must be a short lower-case type such as rsj');
export const departmentId = z
  .string()
  .regex(/^\d{4}(?:\d{2})?-[a-z]{2,8}$/, 'must be <region code>-<type>, e.g. 440306-rsj');
export const materialCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a snake_case material code');
export const itemCode = z.string().regex(/^[A-Z]{2,4}-[A-Z0-9]{2,12}-\d{3}$/, 'must look like RS-SYBXJ-001');

// ---------------------------------------------------------------------------------------------
// regions.json

export const COMMUNITY_KINDS = ['community', 'village'] as const;
export const STREET_KINDS = ['street', 'town'] as const;

export const communitySchema = z.strictObject({
  code: communityCode,
  name,
  kind: z.enum(COMMUNITY_KINDS),
});

export const streetSchema = z.strictObject({
  code: streetCode,
  name,
  kind: z.enum(STREET_KINDS),
  communities: z.array(communitySchema).min(1),
});

export const districtSchema = z.strictObject({
  code: districtCode,
  name,
  fullName: name,
  city: cityCode,
  /** True when `code` is not a GB/T 2260 code (a functional zone); explained in `codeNote`. */
  pseudoCode: z.boolean().optional(),
  /** For a pseudo-code: the GB/T 2260 district whose territory the zone administers. */
  administeredFrom: districtCode.optional(),
  codeNote: z.string().min(1).optional(),
  /** Department types this district hands to the city-level department (no own department). */
  cityLevelTypes: z.array(departmentType),
  streets: z.array(streetSchema).min(1),
});

export const regionsFileSchema = z.strictObject({
  ...header,
  provinces: z.array(z.strictObject({ code: provinceCode, name })).min(1),
  cities: z.array(z.strictObject({ code: cityCode, name, province: provinceCode })).min(1),
  districts: z.array(districtSchema).min(1),
});

// ---------------------------------------------------------------------------------------------
// offices.json

export const OFFICE_TYPES = ['street_hall', 'community_centre'] as const;

export const officeSchema = z.strictObject({
  /** The code of the street (street_hall) or community (community_centre) the office serves. */
  id: z.string().regex(/^\d{9}(?:\d{3})?$/, 'must be a street (9) or community (12) code'),
  type: z.enum(OFFICE_TYPES),
  district: districtCode,
  name,
  address: z.string().min(1).max(300),
  /** 延时服务: open on ordinary Saturdays for acceptance (does not stop or start any SLA clock). */
  saturdayService: z.boolean(),
  /** 通取: results can be collected at this office's window. */
  pickupWindow: z.boolean(),
});

/** A courier or grid worker (网格投递员) dispatch desks may assign door deliveries to. */
export const courierSchema = z.strictObject({
  /** The `courier_id` of the courier's token. */
  id: z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'must be a lower-case id such as courier-01'),
  name,
  /** Districts whose dispatch desks may assign to the courier. */
  districts: z.array(districtCode).min(1),
  /** Inactive: kept for the parcels it carried, assigned no new ones. */
  active: z.boolean(),
});

export const officesFileSchema = z.strictObject({
  ...header,
  offices: z.array(officeSchema).min(1),
  couriers: z.array(courierSchema),
});

// ---------------------------------------------------------------------------------------------
// departments.json

export const DEPARTMENT_LEVELS = ['district', 'city'] as const;

export const departmentSchema = z.strictObject({
  id: departmentId,
  name,
  type: departmentType,
  level: z.enum(DEPARTMENT_LEVELS),
  /** The district (level district) or city (level city) the department serves. */
  region: regionCode,
  /** A disabled department stays known (old cases keep their history) but receives no new work. */
  enabled: z.boolean(),
});

export const departmentsFileSchema = z.strictObject({
  ...header,
  types: z.array(z.strictObject({ type: departmentType, name })).min(1),
  departments: z.array(departmentSchema).min(1),
});

// ---------------------------------------------------------------------------------------------
// items.json

/**
 * When a material applies (材料适用情形), as data: a guardian's ID card only for minors, a
 * residence permit only for a household outside the accepting district, ... Evaluated by
 * `materialApplies` (material-conditions.ts) at intake and in the catalogue API alike.
 */
export const HOUSEHOLD_SCOPES = ['accepting_district', 'accepting_city'] as const;
export const materialConditionSchema = z.discriminatedUnion('condition', [
  z.strictObject({ condition: z.literal('applicant_kind'), in: z.array(z.enum(APPLICANT_KINDS)).min(1) }),
  /** Full years on the acceptance day (China time), from the ID number; bounds inclusive. */
  z.strictObject({
    condition: z.literal('applicant_age'),
    min: z.int().min(0).max(150).optional(),
    max: z.int().min(0).max(150).optional(),
  }),
  /** 非本地户籍: the household is registered outside the accepting office's district or city. */
  z.strictObject({ condition: z.literal('household_outside'), of: z.enum(HOUSEHOLD_SCOPES) }),
]);

export const materialSpecSchema = z.strictObject({
  code: materialCode,
  name,
  /** A critical material can never be missing at acceptance, 容缺 or not. */
  critical: z.boolean(),
  /** The material is asked for only when every condition holds; absent = always. */
  appliesWhen: z.array(materialConditionSchema).min(1).optional(),
});

const basisEnum = z.enum(JURISDICTION_BASES);
export const jurisdictionSchema = z.discriminatedUnion('basis', [
  z.strictObject({ basis: basisEnum.extract(['fixed_department']), department: departmentId }),
  z.strictObject({
    basis: basisEnum.extract(['household_district', 'registered_district', 'accepting_office']),
  }),
]);

/** An item handled centrally: for competent districts inside `region`, `department` decides. */
export const overrideSchema = z.strictObject({
  region: regionCode,
  department: departmentId,
  note: z.string().min(1),
});

/** 容缺受理: the listed non-critical materials may be missing, to be supplied within N working days. */
export const rongqueSchema = z.discriminatedUnion('allowed', [
  z.strictObject({ allowed: z.literal(false) }),
  z.strictObject({
    allowed: z.literal(true),
    supplementDays: z.int().min(1).max(60),
    materials: z.array(materialCode).min(1),
    /** The result is not released (door or window) while a 容缺 material is still missing. */
    holdResultUntilComplete: z.boolean().optional(),
  }),
]);

export const COMPANY_STATUSES = ['active', 'abnormal', 'revoked', 'cancelled'] as const;

const label = z.string().min(1).max(100);
/** 秒批 rule checks, as data: the approval service evaluates each and records the outcome. */
export const autoCheckSchema = z.discriminatedUnion('check', [
  z.strictObject({
    check: z.literal('applicant_age'),
    min: z.int().min(0).max(150).optional(),
    max: z.int().min(0).max(150).optional(),
    label,
  }),
  z.strictObject({ check: z.literal('material_present'), material: materialCode, label }),
  z.strictObject({ check: z.literal('company_status'), equals: z.enum(COMPANY_STATUSES), label }),
  z.strictObject({ check: z.literal('household_in_region'), regions: z.array(regionCode).min(1), label }),
  z.strictObject({ check: z.literal('registered_in_region'), regions: z.array(regionCode).min(1), label }),
]);

export const autoApprovalSchema = z.discriminatedUnion('eligible', [
  z.strictObject({ eligible: z.literal(false) }),
  z.strictObject({ eligible: z.literal(true), checks: z.array(autoCheckSchema).min(1) }),
]);

export const ACCEPTANCE_LEVELS = ['district', 'city', 'province', 'cross_region'] as const;

/**
 * Which offices may accept the item, relative to the competent district (the district whose
 * department decides): `district` = offices of that district, `city` / `province` = offices of
 * the same city / province, `cross_region` = offices inside `regions` for a competent district
 * inside `regions` (跨域通办). `officeTypes` narrows further (e.g. street halls only).
 */
export const acceptanceSchema = z.discriminatedUnion('level', [
  z.strictObject({
    level: z.enum(ACCEPTANCE_LEVELS).exclude(['cross_region']),
    officeTypes: z.array(z.enum(OFFICE_TYPES)).min(1).optional(),
  }),
  z.strictObject({
    level: z.literal('cross_region'),
    regions: z.array(regionCode).min(1),
    officeTypes: z.array(z.enum(OFFICE_TYPES)).min(1).optional(),
  }),
]);

export const itemSchema = z.strictObject({
  code: itemCode,
  name,
  category: z.string().min(1).max(50),
  /** The department type that decides (primary assignment). */
  departmentType,
  applicantKinds: z.array(z.enum(APPLICANT_KINDS)).min(1),
  jurisdiction: jurisdictionSchema,
  overrides: z.array(overrideSchema).optional(),
  timeLimits: z.strictObject({
    /** 法定办结时限, working days. */
    legalDays: z.int().min(1).max(365),
    /** 承诺办结时限, working days, at most the legal limit; 0 = 即办 (same working day). */
    promisedDays: z.int().min(0).max(365),
  }),
  materials: z.array(materialSpecSchema).min(1),
  rongque: rongqueSchema,
  autoApproval: autoApprovalSchema,
  /** 并联审批: department types that must also approve, resolved in the competent district. */
  parallelDepartmentTypes: z.array(departmentType),
  deliveryMethods: z.array(z.enum(DELIVERY_METHODS)).min(1),
  acceptance: acceptanceSchema,
  legalBasis: z.string().min(1).max(300),
});

export const itemsFileSchema = z.strictObject({
  ...header,
  items: z.array(itemSchema).min(1),
});

// ---------------------------------------------------------------------------------------------
// calendars.json

export const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00-23:59)');
export const sessionSchema = z.strictObject({ open: timeOfDay, close: timeOfDay });
export const sessionsSchema = z.array(sessionSchema).min(1);

export const datedNameSchema = z.strictObject({ date: localDate, name });

export const calendarYearSchema = z.strictObject({
  year: z.int().min(2000).max(2100),
  /** provisional: not yet published by the State Council; replace when it is. */
  status: z.enum(['official', 'provisional']),
  source: z.string().min(1),
  holidays: z.array(z.strictObject({ name, from: localDate, to: localDate })),
  /** 调休上班: weekend days that are working days (and count for SLA clocks). */
  makeUpWorkdays: z.array(z.strictObject({ date: localDate, for: name })),
});

export const calendarOverrideSchema = z.strictObject({
  /** A city (applies to all its districts) or a district. */
  region: regionCode,
  note: z.string().min(1),
  businessHours: sessionsSchema.optional(),
  saturdayServiceHours: sessionsSchema.optional(),
  /** Local closures (e.g. 台风停工): working days that are not. */
  extraHolidays: z.array(datedNameSchema).optional(),
  /** Local make-up days: weekend days that are working days. */
  extraWorkdays: z.array(datedNameSchema).optional(),
});

export const calendarsFileSchema = z.strictObject({
  ...header,
  timeZone: z.literal('Asia/Shanghai'),
  years: z.array(calendarYearSchema).min(1),
  defaults: z.strictObject({ businessHours: sessionsSchema, saturdayServiceHours: sessionsSchema }),
  overrides: z.array(calendarOverrideSchema),
});

// ---------------------------------------------------------------------------------------------

export const REFERENCE_FILES = {
  regions: { file: 'regions.json', schema: regionsFileSchema },
  offices: { file: 'offices.json', schema: officesFileSchema },
  departments: { file: 'departments.json', schema: departmentsFileSchema },
  items: { file: 'items.json', schema: itemsFileSchema },
  calendars: { file: 'calendars.json', schema: calendarsFileSchema },
} as const;

export type ReferenceFileKey = keyof typeof REFERENCE_FILES;
export const REFERENCE_FILE_KEYS = Object.keys(REFERENCE_FILES) as ReferenceFileKey[];

export type RegionsFile = z.infer<typeof regionsFileSchema>;
export type OfficesFile = z.infer<typeof officesFileSchema>;
export type DepartmentsFile = z.infer<typeof departmentsFileSchema>;
export type ItemsFile = z.infer<typeof itemsFileSchema>;
export type CalendarsFile = z.infer<typeof calendarsFileSchema>;

/** The five files after schema validation. */
export interface ReferenceFiles {
  regions: RegionsFile;
  offices: OfficesFile;
  departments: DepartmentsFile;
  items: ItemsFile;
  calendars: CalendarsFile;
}

/** The five files as read from disk, not yet validated. */
export type RawReferenceFiles = Record<ReferenceFileKey, unknown>;

export type Province = RegionsFile['provinces'][number];
export type City = RegionsFile['cities'][number];
export type District = z.infer<typeof districtSchema>;
export type Street = z.infer<typeof streetSchema>;
export type Community = z.infer<typeof communitySchema>;
export type OfficeType = (typeof OFFICE_TYPES)[number];
export type Office = z.infer<typeof officeSchema>;
export type Courier = z.infer<typeof courierSchema>;
export type DepartmentTypeInfo = DepartmentsFile['types'][number];
export type Department = z.infer<typeof departmentSchema>;
export type ServiceItem = z.infer<typeof itemSchema>;
export type MaterialSpec = z.infer<typeof materialSpecSchema>;
export type MaterialCondition = z.infer<typeof materialConditionSchema>;
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;
export type ItemOverride = z.infer<typeof overrideSchema>;
export type Rongque = z.infer<typeof rongqueSchema>;
export type AutoCheck = z.infer<typeof autoCheckSchema>;
export type AutoApproval = z.infer<typeof autoApprovalSchema>;
export type AcceptanceScope = z.infer<typeof acceptanceSchema>;
export type AcceptanceLevel = (typeof ACCEPTANCE_LEVELS)[number];
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export type Session = z.infer<typeof sessionSchema>;
export type CalendarYear = z.infer<typeof calendarYearSchema>;
export type CalendarOverride = z.infer<typeof calendarOverrideSchema>;
