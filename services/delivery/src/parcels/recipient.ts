import {
  type Address,
  type AnyCaseSnapshot,
  type AddressV2,
  type Applicant,
  type ApplicantV2,
  type SealedText,
  sealedOr,
} from '@tongban/contracts';
import type { ParcelAgent } from './delivery-tables';

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

/** 帮办代办: the agent on the decided case's snapshot, as the parcel keeps them (masks and hash). */
export function parcelAgent(snapshot: AnyCaseSnapshot): ParcelAgent | null {
  const assistance = 'assistance' in snapshot ? snapshot.assistance : undefined;
  if (assistance?.mode !== 'agent') return null;
  return {
    name: assistance.agentName.masked,
    relation: assistance.relation,
    idNumberMasked: assistance.agentIdNumber?.masked ?? null,
    idNumberHash: assistance.agentIdNumber?.hash ?? null,
    phoneMasked: assistance.agentPhone?.masked ?? null,
  };
}
