import { localDateOf, type ReferenceData } from '@tongban/reference-data';
import { signApplicantLink } from '@tongban/sms';
import type { NoticeFacts, OfficeFacts } from './notice-plan';

interface Session {
  readonly open: string;
  readonly close: string;
}

const sessions = (list: readonly Session[]) => list.map((s) => `${s.open}-${s.close}`).join('、');

/**
 * The office's hours as the reference calendars give them (the defaults, then its city's and its
 * district's overrides), with Saturday only for offices that open then (延时服务).
 */
export function openingHours(
  reference: ReferenceData,
  office: { district: string; saturdayService: boolean },
): string {
  const { defaults, overrides } = reference.files.calendars;
  const chain = [office.district.slice(0, 4), office.district];
  const layers = chain.map((code) => overrides.find((o) => o.region === code)).filter((o) => o !== undefined);
  const weekdays = layers.reduce((hours, l) => l.businessHours ?? hours, defaults.businessHours);
  const saturday = layers.reduce(
    (hours, l) => l.saturdayServiceHours ?? hours,
    defaults.saturdayServiceHours,
  );
  return office.saturdayService
    ? `工作日${sessions(weekdays)}，周六${sessions(saturday)}`
    : `工作日${sessions(weekdays)}`;
}

export function referenceNoticeFacts(
  reference: ReferenceData,
  options: { readonly applicantBaseUrl: URL; readonly linkKey: Buffer; readonly reminderLeadMs: number },
): NoticeFacts {
  const base = options.applicantBaseUrl.toString().replace(/\/$/, '');
  return {
    itemName: (code) => reference.item(code)?.name ?? code,
    materialNames: (itemCode, codes) => {
      const materials = reference.item(itemCode)?.materials ?? [];
      return codes.map((code) => materials.find((m) => m.code === code)?.name ?? code).join('、');
    },
    office: (id): OfficeFacts => {
      const office = reference.office(id);
      if (!office) return { name: `受理窗口${id}`, address: '请致电12345查询', openingHours: '工作日' };
      return { name: office.name, address: office.address, openingHours: openingHours(reference, office) };
    },
    promisedDate: (itemCode, district, acceptedAt) => {
      const days = reference.item(itemCode)?.timeLimits.promisedDays ?? 0;
      return localDateOf(reference.calendar(district).addWorkingDays(acceptedAt, days));
    },
    localDate: (instant) => localDateOf(instant),
    trackingUrl: `${base}/applicant`,
    ratingLink: (caseId) => `${base}/r/${signApplicantLink(options.linkKey, 'rate', caseId)}`,
    reminderLeadMs: options.reminderLeadMs,
  };
}
