import type { Applicant, ApplicantV2, AssistanceV2, SealedText } from './common.schemas';

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

/**
 * 帮办代办 as staff, reviewers and the window see it: the mode, and for an agent the masks of
 * the name, ID number and phone with the relation (null where the snapshot predates them).
 */
export function maskedAssistance(assistance: AssistanceV2 | undefined) {
  if (!assistance) return null;
  return assistance.mode === 'agent'
    ? {
        mode: assistance.mode,
        agentName: assistance.agentName.masked,
        relation: assistance.relation,
        agentIdNumber: assistance.agentIdNumber?.masked ?? null,
        agentPhone: assistance.agentPhone?.masked ?? null,
      }
    : { mode: assistance.mode };
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
