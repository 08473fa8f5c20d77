import { generatePhone, generateResidentId } from '@tongban/pii';

/**
 * 失业保险金申领 by a 罗湖 resident at 新安街道 (宝安): routed cross-district, approved by the 秒批
 * rules with no reviewer, and collected at the accepting window. The case that crosses every
 * service with no human step, for load tests and benchmarks. Synthetic identifiers only.
 */
export function autoApprovedPickupClaim() {
  return {
    itemCode: 'RS-SYBXJ-001',
    applicant: {
      kind: 'person',
      name: '压测申请人',
      idNumber: generateResidentId({ regionCode: '440303', birthDate: '1990-03-08' }),
      phone: generatePhone(),
      householdDistrict: '440303',
    },
    materials: [
      { code: 'id_card', name: '居民身份证' },
      { code: 'termination_certificate', name: '解除或终止劳动关系证明' },
      { code: 'bank_account', name: '本人社会保障卡或银行结算账户' },
    ],
    delivery: { method: 'pickup', officeId: '440306001' },
  };
}

/** The dev user who submits it: office staff at 新安街道. */
export const AUTO_APPROVED_CLAIM_STAFF = 'staff-xinan';
