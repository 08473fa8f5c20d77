import { findPersonalNumbers, maskPersonalNumbers } from '@tongban/pii';
import { storableString } from './input-schemas';

/*
 * Free text people type (names, addresses, reasons, notes) travels on: into events, the audit
 * log, other services' views. An ID or phone number typed into it would leak past every field
 * that protects them, so staff text that holds one is refused, naming the field; the applicant's
 * own comment is kept with the number masked (refusing a citizen's rating helps nobody).
 * Which numbers count is @tongban/pii's findPersonalNumbers, the rule every scanner shares.
 */

const REFUSALS = {
  'resident-id': 'must not contain a resident ID number: ID numbers go in their own field, encrypted',
  phone: 'must not contain a phone number: phone numbers go in their own field, encrypted',
} as const;

/** Staff free text: trimmed, 1 to `max` characters, refused when it holds an ID or phone number. */
export function freeText(max: number, emptyMessage = 'must not be empty') {
  return storableString()
    .trim()
    .min(1, emptyMessage)
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const [found] = findPersonalNumbers(value);
      if (found) ctx.addIssue({ code: 'custom', message: REFUSALS[found.kind] });
    });
}

/** An applicant's free text: trimmed, at most `max` characters, ID and phone numbers masked. */
export function maskedFreeText(max: number) {
  return storableString().trim().max(max, `must be at most ${max} characters`).transform(maskPersonalNumbers);
}
