import {
  type Address,
  type AddressV2,
  type Applicant,
  type ApplicantV2,
  type SealedText,
  sealedOr,
} from '@tongban/contracts';

/** Opens a value intake sealed (libs/pii PiiCipher.decrypt of its ciphertext). */
export type Unseal = (sealed: SealedText) => string;

/** The address the courier drives to. */
export function clearAddress(address: Address | AddressV2, unseal: Unseal): Address {
  return { ...address, detail: sealedOr(address.detail, unseal) };
}

/** Whom the courier or the window hands the parcel to. */
export function recipientName(applicant: Applicant | ApplicantV2, unseal: Unseal): string {
  return applicant.kind === 'person'
    ? sealedOr(applicant.name, unseal)
    : `${applicant.companyName} ${sealedOr(applicant.contactName, unseal)}`;
}
