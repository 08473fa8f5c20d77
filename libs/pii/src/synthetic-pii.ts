import { residentIdCheckChar, type Sex, validateResidentId } from './resident-id';

/**
 * Real district codes for synthetic numbers in tests and demo data. The numbers made from them
 * are fake: a random birth date and sequence with a correct check character.
 */
export const SAMPLE_REGION_CODES = Object.freeze({
  '440303': 'Shenzhen Luohu',
  '440304': 'Shenzhen Futian',
  '440306': "Shenzhen Bao'an",
  '440309': 'Shenzhen Longhua',
  '441302': 'Huizhou Huicheng',
  '110105': 'Beijing Chaoyang',
} as const);

export type SampleRegionCode = keyof typeof SAMPLE_REGION_CODES;

/** A source of uniform numbers in [0, 1), like `Math.random`; tests pass a seeded one. */
export type RandomSource = () => number;

export interface GenerateResidentIdOptions {
  /** Defaults to one of SAMPLE_REGION_CODES. */
  readonly regionCode?: string;
  /** `YYYY-MM-DD`; defaults to a date between 1950-01-01 and 2005-12-31. */
  readonly birthDate?: string;
  /** The 3-digit sequence code, 0-999; its parity decides the sex. */
  readonly sequence?: number;
  readonly sex?: Sex;
  readonly random?: RandomSource;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_BIRTH_RANGE = [Date.UTC(1950, 0, 1), Date.UTC(2005, 11, 31)] as const;

/** A synthetic but valid resident identity number; throws on options no valid number can have. */
export function generateResidentId(options: GenerateResidentIdOptions = {}): string {
  const random = options.random ?? Math.random;
  const regionCodes = Object.keys(SAMPLE_REGION_CODES);
  const regionCode = options.regionCode ?? regionCodes[randomInt(random, regionCodes.length)];
  const birthDate = options.birthDate ?? randomBirthDate(random);
  const sequence = options.sequence ?? randomSequence(random, options.sex);

  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`generateResidentId: sequence must be an integer from 0 to 999, got ${sequence}`);
  }
  if (options.sex !== undefined && sexOf(sequence) !== options.sex) {
    throw new RangeError(`generateResidentId: sequence ${sequence} is for a ${sexOf(sequence)}`);
  }
  if (!/^\d{6}$/.test(regionCode) || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    throw new RangeError('generateResidentId: regionCode must be 6 digits and birthDate YYYY-MM-DD');
  }

  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  const id = `${first17}${residentIdCheckChar(first17)}`;
  const check = validateResidentId(id);
  if (!check.ok) throw new RangeError(`generateResidentId: ${check.reason}: ${check.message}`);
  return id;
}

/** A synthetic mainland mobile number: 1, then 3-9, then nine random digits. */
export function generatePhone(random: RandomSource = Math.random): string {
  let digits = `1${3 + randomInt(random, 7)}`;
  while (digits.length < 11) digits += String(randomInt(random, 10));
  return digits;
}

function randomBirthDate(random: RandomSource): string {
  const [from, to] = DEFAULT_BIRTH_RANGE;
  const days = Math.round((to - from) / DAY_MS);
  return new Date(from + randomInt(random, days + 1) * DAY_MS).toISOString().slice(0, 10);
}

function randomSequence(random: RandomSource, sex: Sex | undefined): number {
  const sequence = randomInt(random, 1000);
  if (sex === undefined || sexOf(sequence) === sex) return sequence;
  return sequence === 999 ? 998 : sequence + 1;
}

function sexOf(sequence: number): Sex {
  return sequence % 2 === 1 ? 'male' : 'female';
}

function randomInt(random: RandomSource, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound));
}
