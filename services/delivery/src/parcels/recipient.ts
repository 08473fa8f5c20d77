import type { Address, AddressV2, Applicant, ApplicantV2, SealedText } from '@tongban/contracts';

/** Opens a value intake sealed (libs/pii PiiCipher.decrypt of its ciphertext). */
export type Unseal = (sealed: SealedText) => string;

// A v1 snapshot (a case accepted before names and addresses were sealed) carries them in clear.
function clear(value: string | SealedText, unseal: Unseal): string {
  return typeof value === 'string' ? value : unseal(value);
}

/** The address the courier drives to. */
export function clearAddress(address: Address | AddressV2, unseal: Unseal): Address {
  return { ...address, detail: clear(address.detail, unseal) };
}

/** Whom the courier or the window hands the parcel to. */
export function recipientName(applicant: Applicant | ApplicantV2, unseal: Unseal): string {
  return applicant.kind === 'person'
    ? clear(applicant.name, unseal)
    : `${applicant.companyName} ${clear(applicant.contactName, unseal)}`;
}
