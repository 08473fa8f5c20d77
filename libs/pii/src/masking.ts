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

/** `张三丰` -> `张**`: the first character stays, as on a receipt; `**` for a one-character name. */
export function maskName(value: string): string {
  const characters = [...value.trim()];
  return characters.length <= 1 ? '**' : `${characters[0]}${'*'.repeat(characters.length - 1)}`;
}

/** `新安一路15号3栋502` -> `新安一路**号*栋***`: the road stays, the door it leads to goes. */
export function maskAddressDetail(value: string): string {
  return value.trim().replace(/[0-9０-９]/g, '*');
}
