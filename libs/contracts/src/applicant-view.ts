import type { Applicant } from './common.schemas';

/**
 * The applicant as staff and reviewers see them: masks only. Ciphertext and lookup hashes
 * stay inside the services; whoever needs a clear value decrypts it for that one purpose.
 */
export function maskedApplicant(applicant: Applicant) {
  return applicant.kind === 'person'
    ? {
        kind: applicant.kind,
        name: applicant.name,
        idNumber: applicant.idNumber.masked,
        phone: applicant.phone.masked,
        householdDistrict: applicant.householdDistrict,
      }
    : {
        kind: applicant.kind,
        companyName: applicant.companyName,
        creditCode: applicant.creditCode,
        registeredDistrict: applicant.registeredDistrict,
        contactName: applicant.contactName,
        phone: applicant.phone.masked,
      };
}
