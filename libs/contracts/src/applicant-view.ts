import type { Applicant, ApplicantV2, SealedText } from './common.schemas';

/**
 * The applicant as staff and reviewers see them: masks only. Ciphertext and lookup hashes
 * stay inside the services; whoever needs a clear value decrypts it for that one purpose.
 */
export function maskedApplicant(applicant: Applicant | ApplicantV2) {
  return applicant.kind === 'person'
    ? {
        kind: applicant.kind,
        name: shown(applicant.name),
        idNumber: applicant.idNumber.masked,
        phone: applicant.phone.masked,
        householdDistrict: applicant.householdDistrict,
      }
    : {
        kind: applicant.kind,
        companyName: applicant.companyName,
        creditCode: applicant.creditCode,
        registeredDistrict: applicant.registeredDistrict,
        contactName: shown(applicant.contactName),
        phone: applicant.phone.masked,
      };
}

function shown(value: string | SealedText): string {
  return sealedOr(value, (sealed) => sealed.masked);
}

/**
 * A snapshot value of either version: a v1 snapshot (a case accepted before names and addresses
 * were sealed) carries it in clear, a v2 one sealed, for `open` to decrypt or mask.
 */
export function sealedOr(value: string | SealedText, open: (sealed: SealedText) => string): string {
  return typeof value === 'string' ? value : open(value);
}
