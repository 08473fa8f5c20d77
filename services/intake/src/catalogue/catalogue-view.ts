import {
  describeCondition,
  type Office,
  type ReferenceData,
  type ServiceItem,
} from '@tongban/reference-data';

/**
 * What staff read of an item (事项): its materials with their conditions (the ones
 * `materialApplies` evaluates at the window), which may be missing at acceptance (容缺), the time
 * limits and the offices that may accept it. Pure over the reference data.
 */
export function catalogueItemView(data: ReferenceData, item: ServiceItem) {
  const tolerable = new Set(item.rongque.allowed ? item.rongque.materials : []);
  return {
    code: item.code,
    name: item.name,
    category: item.category,
    departmentType: item.departmentType,
    parallelDepartmentTypes: item.parallelDepartmentTypes,
    applicantKinds: item.applicantKinds,
    jurisdiction: item.jurisdiction.basis,
    timeLimits: item.timeLimits,
    materials: item.materials.map((material) => ({
      code: material.code,
      name: material.name,
      critical: material.critical,
      rongqueAllowed: tolerable.has(material.code),
      appliesWhen: material.appliesWhen ?? [],
      appliesWhenText: (material.appliesWhen ?? []).map(describeCondition),
    })),
    rongque: item.rongque.allowed
      ? { allowed: true, supplementDays: item.rongque.supplementDays }
      : { allowed: false },
    autoApproval: item.autoApproval.eligible,
    deliveryMethods: item.deliveryMethods,
    acceptance: item.acceptance,
    // Office-side conditions only: for 属地 items the applicant's district decides the rest at the window.
    acceptingOfficeIds: data
      .offices()
      .filter((office) => data.acceptanceCheck(office.id, item.code).ok)
      .map((office) => office.id),
    legalBasis: item.legalBasis,
  };
}

/** An office as staff look it up: address, what it offers and when it is open. */
export function catalogueOfficeView(data: ReferenceData, office: Office) {
  const hours = data.openingHours(office.district);
  return {
    id: office.id,
    name: office.name,
    type: office.type,
    district: office.district,
    address: office.address,
    pickupWindow: office.pickupWindow,
    businessHours: hours.businessHours,
    saturdayService: office.saturdayService,
    saturdayServiceHours: office.saturdayService ? hours.saturdayServiceHours : [],
  };
}

export type CatalogueItemView = ReturnType<typeof catalogueItemView>;
