import { findPersonalNumbers } from './personal-number-scan';
import { normalizePhone } from './phone';
import { normalizeResidentId, residentIdCheckChar } from './resident-id';

/*
 * What an attacker holding every clear field about one applicant (events, log lines, error
 * bodies, API answers) can rebuild of their ID and phone numbers. Tests run it over everything a
 * run produced; the answer must be "not rebuilt, many candidates left".
 *
 * The attack: a number in clear is rebuilt at once. Otherwise every mask of the number in any
 * text (different masks may show different digits) reveals its digits, and every date in the
 * texts is tried as the ID's eight birth-date digits. What stays hidden is guessed: for the ID,
 * every birth date in the allowed range (an age band narrows it) that agrees with the revealed
 * digits and the check character; for the phone, every value of the hidden digits.
 */

export interface ReidentificationTruth {
  readonly idNumber: string;
  readonly phone: string;
}

export interface ReidentificationOptions {
  /** Earliest and latest birth date (YYYY-MM-DD) the clear fields allow, e.g. from an age band. */
  readonly birthDateRange?: readonly [string, string];
}

export interface ReidentificationResult {
  readonly idNumber: { readonly rebuilt: boolean; readonly candidates: number };
  readonly phone: { readonly rebuilt: boolean; readonly candidates: number };
}

const ID_MASK = /(?<![\dX*])[\d*]{17}[\dX*](?![\dX*])/g;
const PHONE_MASK = /(?<![\d*])1[\d*]{10}(?![\d*])/g;
const DATE =
  /(?<!\d)((?:19|20)\d{2})(?:-|\/|\.|年)?(0?[1-9]|1[0-2])(?:-|\/|\.|月)?(0?[1-9]|[12]\d|3[01])(?!\d)/g;
const DAY_MS = 86_400_000;
const BIRTH_DATE = { from: 6, to: 14 } as const;

export function attemptReidentification(
  texts: readonly string[],
  truth: ReidentificationTruth,
  options: ReidentificationOptions = {},
): ReidentificationResult {
  const idNumber = normalizeResidentId(truth.idNumber) ?? truth.idNumber;
  const phone = normalizePhone(truth.phone) ?? truth.phone;
  const inClear = (kind: 'resident-id' | 'phone', value: string, normalize: (v: string) => string | null) =>
    texts.some(
      (text) =>
        text.includes(value) ||
        findPersonalNumbers(text).some(
          (match) => match.kind === kind && normalize(text.slice(match.start, match.end)) === value,
        ),
    );

  const idRevealed = revealedBy(texts, ID_MASK, idNumber);
  const birthDate = idNumber.slice(BIRTH_DATE.from, BIRTH_DATE.to);
  const datesInTexts = texts.flatMap((text) => [...text.matchAll(DATE)].map(compactDate));
  if (datesInTexts.includes(birthDate))
    for (let i = BIRTH_DATE.from; i < BIRTH_DATE.to; i++) idRevealed.add(i);
  const idRebuilt =
    inClear('resident-id', idNumber, normalizeResidentId) || countHidden(idRevealed, 17) === 0;

  const phoneRevealed = revealedBy(texts, PHONE_MASK, phone);
  const phoneHidden = countHidden(phoneRevealed, 11);
  const phoneRebuilt = inClear('phone', phone, normalizePhone) || phoneHidden === 0;

  return {
    idNumber: {
      rebuilt: idRebuilt,
      candidates: idRebuilt ? 1 : idCandidates(idNumber, idRevealed, options.birthDateRange),
    },
    phone: { rebuilt: phoneRebuilt, candidates: phoneRebuilt ? 1 : 10 ** phoneHidden },
  };
}

/** Positions of the truth that some mask in the texts shows (masks of other numbers are ignored). */
function revealedBy(texts: readonly string[], mask: RegExp, truth: string): Set<number> {
  const revealed = new Set<number>();
  for (const text of texts)
    for (const [candidate] of text.matchAll(mask)) {
      if (!candidate.includes('*')) continue;
      const agrees = [...candidate].every((char, i) => char === '*' || char === truth.charAt(i));
      if (agrees) [...candidate].forEach((char, i) => char !== '*' && revealed.add(i));
    }
  return revealed;
}

function countHidden(revealed: ReadonlySet<number>, length: number): number {
  let hidden = 0;
  for (let i = 0; i < length; i++) if (!revealed.has(i)) hidden++;
  return hidden;
}

/**
 * ID numbers that agree with every revealed character: birth dates in the range that match the
 * revealed date digits and give the right check character, times every value of hidden digits
 * outside the date.
 */
function idCandidates(
  truth: string,
  revealed: ReadonlySet<number>,
  range?: readonly [string, string],
): number {
  const [from, to] = range ?? ['1900-01-01', new Date().toISOString().slice(0, 10)];
  const otherHidden = [...Array(17).keys()].filter(
    (i) => !revealed.has(i) && (i < BIRTH_DATE.from || i >= BIRTH_DATE.to),
  ).length;
  let dates = 0;
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += DAY_MS) {
    const date = new Date(day).toISOString().slice(0, 10).replaceAll('-', '');
    const agrees = [...date].every(
      (digit, i) => !revealed.has(BIRTH_DATE.from + i) || digit === truth.charAt(BIRTH_DATE.from + i),
    );
    if (!agrees) continue;
    const first17 = `${truth.slice(0, BIRTH_DATE.from)}${date}${truth.slice(BIRTH_DATE.to, 17)}`;
    // With every other digit known, the check character rules most dates out.
    if (otherHidden > 0 || residentIdCheckChar(first17) === truth.charAt(17)) dates++;
  }
  return dates * 10 ** otherHidden;
}

function compactDate(match: RegExpMatchArray): string {
  const [, year, month, day] = match as unknown as [string, string, string, string];
  return `${year}${month.padStart(2, '0')}${day.padStart(2, '0')}`;
}
