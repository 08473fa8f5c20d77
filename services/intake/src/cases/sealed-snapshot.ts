import {
  type AddressV2,
  type AssistanceV2,
  ageBandOf,
  type CaseSnapshot,
  type CaseSnapshotV2,
  type DeliveryChoice,
  type DeliveryChoiceV2,
  type SealedText,
} from '@tongban/contracts';
import {
  ageOn,
  maskAddressDetail,
  maskName,
  maskPhone,
  maskResidentId,
  type PiiCipher,
  validateResidentId,
} from '@tongban/pii';
import { chinaDay } from './receipt-number';
import type { SubmitCaseInput } from './submit-case.dto';

/**
 * The case as it leaves intake on Kafka (snapshot v2): names and the street address sealed for the
 * services that must show or use them, the birth date reduced to an age band at acceptance. The
 * clear values stay in intake, which accepted them.
 */
export function sealSnapshot(
  snapshot: CaseSnapshot,
  /** The clear ID number of a person applicant, for the age band; the snapshot holds only its ciphertext. */
  idNumber: string | undefined,
  cipher: PiiCipher,
  acceptedAt: Date,
): CaseSnapshotV2 {
  const seal = (value: string, mask: (value: string) => string): SealedText => ({
    ciphertext: cipher.encrypt(value),
    masked: mask(value),
  });
  const applicant = snapshot.applicant;
  return {
    ...snapshot,
    applicant:
      applicant.kind === 'person'
        ? {
            kind: 'person',
            name: seal(applicant.name, maskName),
            idNumber: applicant.idNumber,
            phone: applicant.phone,
            householdDistrict: applicant.householdDistrict,
            ageBand: ageBandOf(ageOn(birthDateOf(idNumber), chinaDay(acceptedAt))),
          }
        : { ...applicant, contactName: seal(applicant.contactName, maskName) },
    delivery: sealDelivery(snapshot.delivery, (detail) => seal(detail, maskAddressDetail)),
  };
}

/** 帮办代办: the agent's name sealed, the ID number and phone protected like the applicant's. */
export function sealAssistance(assistance: SubmitCaseInput['assistance'], cipher: PiiCipher): AssistanceV2 {
  if (assistance.mode !== 'agent') return assistance;
  return {
    mode: 'agent',
    agentName: { ciphertext: cipher.encrypt(assistance.agentName), masked: maskName(assistance.agentName) },
    relation: assistance.relation,
    agentIdNumber: {
      ciphertext: cipher.encrypt(assistance.agentIdNumber),
      hash: cipher.hashResidentId(assistance.agentIdNumber),
      masked: maskResidentId(assistance.agentIdNumber),
    },
    agentPhone: {
      ciphertext: cipher.encrypt(assistance.agentPhone),
      hash: cipher.hashPhone(assistance.agentPhone),
      masked: maskPhone(assistance.agentPhone),
    },
  };
}

function sealDelivery(delivery: DeliveryChoice, seal: (detail: string) => SealedText): DeliveryChoiceV2 {
  if (delivery.method === 'pickup') return delivery;
  const address: AddressV2 = { ...delivery.address, detail: seal(delivery.address.detail) };
  return { method: delivery.method, address };
}

function birthDateOf(idNumber: string | undefined): string {
  const id = validateResidentId(idNumber ?? '');
  // The DTO accepted only valid numbers; one that is not is a bug, not bad input.
  if (!id.ok) throw new Error(`sealSnapshot: the applicant's ID number is invalid (${id.reason})`);
  return id.birthDate;
}
