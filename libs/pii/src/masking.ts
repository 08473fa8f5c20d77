import { normalizePhone } from './phone';

/**
 * `11010519491231002X` -> `110105********002X`: the region code and the last four characters
 * stay, the birth date and the rest of the sequence go. Anything shorter than the 15 characters
 * of a first-generation number is masked whole, since its layout is unknown.
 */
export function maskResidentId(value: string): string {
  if (value.length < 15) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/** `13812345678` (or `+86 138-1234-5678`) -> `138****5678`; anything else is masked whole. */
export function maskPhone(value: string): string {
  const digits = normalizePhone(value);
  if (digits === null) return '*'.repeat(value.length);
  return `${digits.slice(0, 3)}****${digits.slice(7)}`;
}
