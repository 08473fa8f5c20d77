import { type ApplicantKind } from '@tongban/contracts';
import {
  type CalendarException,
  dayNumber,
  type LocalDate,
  localDateOfDay,
  WorkingDayCalendar,
} from './calendar';
import { type ReferenceProblem } from './problems';
import {
  type City,
  type Community,
  type Courier,
  type Department,
  type DepartmentTypeInfo,
  type District,
  type Office,
  type OfficeType,
  type Province,
  type ReferenceFileKey,
  type ReferenceFiles,
  type ServiceItem,
  type Session,
  type Street,
  REFERENCE_FILES,
  REFERENCE_FILE_KEYS,
} from './schemas';

export type StreetInfo = Omit<Street, 'communities'> & { readonly district: string };
export type CommunityInfo = Community & { readonly street: string; readonly district: string };

/** What acceptance and routing need to know about the applicant (a contracts `Applicant` fits). */
export interface ApplicantFacts {
  readonly kind?: ApplicantKind;
  readonly householdDistrict?: string;
  readonly registeredDistrict?: string;
}

export const ACCEPTANCE_REFUSALS = [
  'unknown_office',
  'unknown_item',
  'applicant_kind_not_allowed',
  'office_type_not_allowed',
  'office_outside_regions',
  'unknown_district',
  'competent_outside_regions',
  'outside_scope',
] as const;
export type AcceptanceRefusal = (typeof ACCEPTANCE_REFUSALS)[number];

export type AcceptanceResult =
  | {
      readonly ok: true;
      /**
       * The district (or, for an item fixed to a city-level department, the city) whose department
       * decides; null when it depends on an applicant district that was not given, in which case
       * only the office-side conditions were checked.
       */
      readonly competentRegion: string | null;
    }
  | { readonly ok: false; readonly reason: AcceptanceRefusal; readonly message: string };

export interface Assignments {
  readonly primary: Department;
  readonly parallel: readonly Department[];
}

/** Actors (e.g. the dev users of @tongban/auth) whose office / department scopes must exist. */
export interface ScopedActor {
  readonly id: string;
  readonly officeId?: string;
  readonly departmentId?: string;
  readonly courierId?: string;
}

const OFFICE_TYPE_NAMES: Record<OfficeType, string> = {
  street_hall: '街道党群(便民)服务中心',
  community_centre: '社区党群服务中心',
};

/**
 * The validated reference data with its lookups. Services get theirs injected (RuntimeModule loads
 * it at boot from REFERENCE_DATA_DIR or the bundled files); build one from files with
 * `loadReferenceData(dir)` or `parseReferenceData(raw)`.
 *
 * The constructor does not validate: it is tolerant so that the validator can use the same
 * lookups on data that is not yet known to be consistent.
 */
export class ReferenceData {
  /** The `version` of each file, e.g. { items: "2026.11.1", ... }; services log these at start-up. */
  readonly versions: Readonly<Record<ReferenceFileKey, string>>;

  private readonly provinceByCode = new Map<string, Province>();
  private readonly cityByCode = new Map<string, City>();
  private readonly districtByCode = new Map<string, District>();
  private readonly streetByCode = new Map<string, StreetInfo>();
  private readonly communityByCode = new Map<string, CommunityInfo>();
  private readonly officeById = new Map<string, Office>();
  private readonly departmentById = new Map<string, Department>();
  private readonly departmentTypeByType = new Map<string, DepartmentTypeInfo>();
  private readonly itemByCode = new Map<string, ServiceItem>();
  private readonly calendars = new Map<string, WorkingDayCalendar>();
  private readonly calendarFallbackListeners = new Set<(region: string, date: LocalDate) => void>();

  constructor(readonly files: ReferenceFiles) {
    this.versions = Object.fromEntries(REFERENCE_FILE_KEYS.map((key) => [key, files[key].version])) as Record<
      ReferenceFileKey,
      string
    >;
    for (const province of files.regions.provinces) this.provinceByCode.set(province.code, province);
    for (const city of files.regions.cities) this.cityByCode.set(city.code, city);
    for (const district of files.regions.districts) {
      this.districtByCode.set(district.code, district);
      for (const { communities, ...street } of district.streets) {
        this.streetByCode.set(street.code, { ...street, district: district.code });
        for (const community of communities) {
          this.communityByCode.set(community.code, {
            ...community,
            street: street.code,
            district: district.code,
          });
        }
      }
    }
    for (const office of files.offices.offices) this.officeById.set(office.id, office);
    for (const type of files.departments.types) this.departmentTypeByType.set(type.type, type);
    for (const department of files.departments.departments)
      this.departmentById.set(department.id, department);
    for (const item of files.items.items) this.itemByCode.set(item.code, item);
  }

  /** "regions@2026.11.1 offices@2026.11.1 ...", for a start-up log line. */
  versionLabel(): string {
    return REFERENCE_FILE_KEYS.map(
      (key) => `${REFERENCE_FILES[key].file.replace(/\.json$/, '')}@${this.versions[key]}`,
    ).join(' ');
  }

  // --- regions --------------------------------------------------------------------------------

  provinces(): readonly Province[] {
    return this.files.regions.provinces;
  }

  cities(): readonly City[] {
    return this.files.regions.cities;
  }

  city(code: string): City | undefined {
    return this.cityByCode.get(code);
  }

  districts(): readonly District[] {
    return this.files.regions.districts;
  }

  district(code: string): District | undefined {
    return this.districtByCode.get(code);
  }

  /** The city of a district, or the city itself for a city code. */
  cityOf(regionCode: string): City | undefined {
    if (regionCode.length === 4) return this.cityByCode.get(regionCode);
    const district = this.districtByCode.get(regionCode);
    return district && this.cityByCode.get(district.city);
  }

  /** Streets and towns, all or of one district. */
  streets(districtCode?: string): readonly StreetInfo[] {
    const all = [...this.streetByCode.values()];
    return districtCode === undefined ? all : all.filter((s) => s.district === districtCode);
  }

  street(code: string): StreetInfo | undefined {
    return this.streetByCode.get(code);
  }

  /** Communities and villages, all or of one street or district. */
  communities(streetOrDistrictCode?: string): readonly CommunityInfo[] {
    const all = [...this.communityByCode.values()];
    if (streetOrDistrictCode === undefined) return all;
    return all.filter((c) => c.street === streetOrDistrictCode || c.district === streetOrDistrictCode);
  }

  community(code: string): CommunityInfo | undefined {
    return this.communityByCode.get(code);
  }

  /** Whether `code` (district or city) lies inside `region` (city or district). */
  isWithin(code: string, region: string): boolean {
    if (code === region) return true;
    if (region.length === 4 && code.length === 6) return this.districtByCode.get(code)?.city === region;
    return false;
  }

  // --- offices --------------------------------------------------------------------------------

  offices(filter: { district?: string; type?: OfficeType } = {}): readonly Office[] {
    return this.files.offices.offices.filter(
      (o) =>
        (filter.district === undefined || o.district === filter.district) &&
        (filter.type === undefined || o.type === filter.type),
    );
  }

  /** The courier registry (offices.json `couriers`). */
  couriers(): readonly Courier[] {
    return this.files.offices.couriers;
  }

  courier(id: string): Courier | undefined {
    return this.files.offices.couriers.find((courier) => courier.id === id);
  }

  office(id: string): Office | undefined {
    return this.officeById.get(id);
  }

  // --- departments ----------------------------------------------------------------------------

  departmentTypes(): readonly DepartmentTypeInfo[] {
    return this.files.departments.types;
  }

  departmentType(type: string): DepartmentTypeInfo | undefined {
    return this.departmentTypeByType.get(type);
  }

  departments(filter: { region?: string; type?: string; enabled?: boolean } = {}): readonly Department[] {
    return this.files.departments.departments.filter(
      (d) =>
        (filter.region === undefined || d.region === filter.region) &&
        (filter.type === undefined || d.type === filter.type) &&
        (filter.enabled === undefined || d.enabled === filter.enabled),
    );
  }

  department(id: string): Department | undefined {
    return this.departmentById.get(id);
  }

  /**
   * The department of `type` competent for `regionCode` (a district, or a city for city-level
   * work): the item's override for that region if any (an item handled centrally), else the
   * district's own department, else the city-level department when the district hands that type
   * to the city (`cityLevelTypes`). Disabled departments are returned too: routing decides what a
   * disabled department means (unroutable).
   */
  departmentFor(regionCode: string, type: string, itemCode?: string): Department | undefined {
    const item = itemCode === undefined ? undefined : this.itemByCode.get(itemCode);
    for (const override of item?.overrides ?? []) {
      const department = this.departmentById.get(override.department);
      if (department?.type === type && this.isWithin(regionCode, override.region)) return department;
    }
    const own = this.departmentById.get(`${regionCode}-${type}`);
    if (own) return own;
    const district = this.districtByCode.get(regionCode);
    if (district?.cityLevelTypes.includes(type)) return this.departmentById.get(`${district.city}-${type}`);
    return undefined;
  }

  /**
   * The departments that decide an item for a competent region: the primary one and the parallel
   * ones (并联审批). Undefined when one of them cannot be resolved.
   */
  assignmentsFor(itemCode: string, competentRegion: string): Assignments | undefined {
    const item = this.itemByCode.get(itemCode);
    if (!item) return undefined;
    const primary =
      item.jurisdiction.basis === 'fixed_department'
        ? this.departmentById.get(item.jurisdiction.department)
        : this.departmentFor(competentRegion, item.departmentType, itemCode);
    if (!primary) return undefined;
    const parallel: Department[] = [];
    for (const type of item.parallelDepartmentTypes) {
      const department = this.departmentFor(competentRegion, type, itemCode);
      if (!department) return undefined;
      parallel.push(department);
    }
    return { primary, parallel };
  }

  // --- items ----------------------------------------------------------------------------------

  items(): readonly ServiceItem[] {
    return this.files.items.items;
  }

  item(code: string): ServiceItem | undefined {
    return this.itemByCode.get(code);
  }

  /**
   * The district (or city, for an item fixed to a city-level department) whose department
   * decides a case: by the item's jurisdiction basis. Null when the basis needs an applicant
   * district that was not given; undefined for an unknown item or office.
   */
  competentRegion(
    itemCode: string,
    acceptingOfficeId: string,
    applicant?: ApplicantFacts,
  ): string | null | undefined {
    const item = this.itemByCode.get(itemCode);
    const office = this.officeById.get(acceptingOfficeId);
    if (!item || !office) return undefined;
    switch (item.jurisdiction.basis) {
      case 'fixed_department':
        return this.departmentById.get(item.jurisdiction.department)?.region;
      case 'accepting_office':
        return office.district;
      case 'household_district':
        return applicant?.householdDistrict ?? null;
      case 'registered_district':
        return applicant?.registeredDistrict ?? null;
    }
  }

  /**
   * May this office accept this item (一窗受理 / 全区通办 / 跨域通办)? With the applicant the answer
   * is definitive; without it, only the office-side conditions are checked (office type, office
   * inside a 跨域 region) and `competentRegion` is null when it depends on the applicant.
   */
  acceptanceCheck(officeId: string, itemCode: string, applicant?: ApplicantFacts): AcceptanceResult {
    const office = this.officeById.get(officeId);
    if (!office) return refuse('unknown_office', `受理点 ${officeId} 不存在`);
    const item = this.itemByCode.get(itemCode);
    if (!item) return refuse('unknown_item', `事项 ${itemCode} 不存在`);
    const scope = item.acceptance;

    if (applicant?.kind !== undefined && !item.applicantKinds.includes(applicant.kind)) {
      const who = applicant.kind === 'person' ? '个人' : '企业';
      return refuse('applicant_kind_not_allowed', `${item.name} 不受理${who}申请`);
    }
    if (scope.officeTypes && !scope.officeTypes.includes(office.type)) {
      const allowed = scope.officeTypes.map((t) => OFFICE_TYPE_NAMES[t]).join('、');
      return refuse('office_type_not_allowed', `${item.name} 仅限${allowed}受理, ${office.name} 不能受理`);
    }
    if (scope.level === 'cross_region' && !scope.regions.some((r) => this.isWithin(office.district, r))) {
      return refuse(
        'office_outside_regions',
        `${item.name} 跨域通办范围为 ${this.regionNames(scope.regions)}, ${office.name} 不在范围内`,
      );
    }

    const competent = this.competentRegion(itemCode, officeId, applicant);
    if (competent === null || competent === undefined) return { ok: true, competentRegion: null };
    if (!this.districtByCode.has(competent) && !this.cityByCode.has(competent)) {
      return refuse('unknown_district', `办理地 ${competent} 不在本系统的行政区划中`);
    }

    const competentName = this.regionName(competent);
    switch (scope.level) {
      case 'cross_region':
        if (!scope.regions.some((r) => this.isWithin(competent, r))) {
          return refuse(
            'competent_outside_regions',
            `${item.name} 跨域通办范围为 ${this.regionNames(scope.regions)}, 办理地 ${competentName} 不在范围内`,
          );
        }
        break;
      case 'district':
        if (!this.isWithin(office.district, competent)) {
          return refuse('outside_scope', `${item.name} 仅限办理地 (${competentName}) 的受理点受理`);
        }
        break;
      case 'city':
        if (this.cityOf(office.district)?.code !== this.cityOf(competent)?.code) {
          return refuse(
            'outside_scope',
            `${item.name} 全市通办, 仅限${this.cityOf(competent)?.name ?? competentName}内的受理点受理`,
          );
        }
        break;
      case 'province':
        if (this.cityOf(office.district)?.province !== this.cityOf(competent)?.province) {
          return refuse('outside_scope', `${item.name} 全省通办, 仅限办理地所在省的受理点受理`);
        }
        break;
    }
    return { ok: true, competentRegion: competent };
  }

  /** Items the office may accept for some applicant (office-side conditions only). */
  itemsAcceptedAt(officeId: string): readonly ServiceItem[] {
    return this.items().filter((item) => this.acceptanceCheck(officeId, item.code).ok);
  }

  // --- calendars ------------------------------------------------------------------------------

  /**
   * Called for every date a calendar answers by the Monday-Friday fallback because its year is not
   * in calendars.json (see WorkingDayCalendarOptions.outsideCoverage); returns the unsubscribe.
   */
  onCalendarFallback(listener: (region: string, date: LocalDate) => void): () => void {
    this.calendarFallbackListeners.add(listener);
    return () => this.calendarFallbackListeners.delete(listener);
  }

  /** Opening hours of a region's offices: business hours and Saturday service (延时服务) hours. */
  openingHours(regionCode: string): {
    businessHours: readonly Session[];
    saturdayServiceHours: readonly Session[];
  } {
    const { defaults } = this.files.calendars;
    const layers = this.calendarLayers(regionCode);
    return {
      businessHours: layers.reduce((hours, l) => l.businessHours ?? hours, defaults.businessHours),
      saturdayServiceHours: layers.reduce(
        (hours, l) => l.saturdayServiceHours ?? hours,
        defaults.saturdayServiceHours,
      ),
    };
  }

  private calendarLayers(regionCode: string) {
    return this.calendarChain(regionCode)
      .map((code) => this.files.calendars.overrides.find((o) => o.region === code))
      .filter((o) => o !== undefined);
  }

  /**
   * The working-day calendar of a district (national holidays + the city's and the district's
   * overrides) or of a city (for city-level departments). Throws for an unknown code. A year
   * calendars.json does not ship falls back to Monday-Friday working days (README, "SLA clock").
   */
  calendar(regionCode: string): WorkingDayCalendar {
    const cached = this.calendars.get(regionCode);
    if (cached) return cached;
    const { years } = this.files.calendars;
    const layers = this.calendarLayers(regionCode);

    const exceptions: CalendarException[] = [];
    for (const year of years) {
      for (const holiday of year.holidays) {
        for (let day = dayNumber(holiday.from); day <= dayNumber(holiday.to); day++) {
          exceptions.push({ date: localDateOfDay(day), kind: 'holiday', name: holiday.name });
        }
      }
      for (const makeUp of year.makeUpWorkdays)
        exceptions.push({ date: makeUp.date, kind: 'workday', name: makeUp.for });
    }
    for (const layer of layers) {
      for (const d of layer.extraHolidays ?? [])
        exceptions.push({ date: d.date, kind: 'holiday', name: d.name });
      for (const d of layer.extraWorkdays ?? [])
        exceptions.push({ date: d.date, kind: 'workday', name: d.name });
    }
    const yearNumbers = years.map((y) => y.year);
    const calendar = new WorkingDayCalendar({
      id: regionCode,
      firstYear: Math.min(...yearNumbers),
      lastYear: Math.max(...yearNumbers),
      provisionalYears: years.filter((y) => y.status === 'provisional').map((y) => y.year),
      exceptions,
      ...this.openingHours(regionCode),
      outsideCoverage: (date) => {
        for (const listener of this.calendarFallbackListeners) listener(regionCode, date);
      },
    });
    this.calendars.set(regionCode, calendar);
    return calendar;
  }

  /** The calendar a department's SLA clocks run on (its district's, or its city's). */
  calendarForDepartment(departmentId: string): WorkingDayCalendar {
    const department = this.departmentById.get(departmentId);
    if (!department) throw new RangeError(`unknown department ${departmentId}`);
    return this.calendar(department.region);
  }

  // --- consistency with other data ------------------------------------------------------------

  /** Office and department scopes of actors (e.g. dev users) that do not exist here. */
  scopeProblems(actors: readonly ScopedActor[], file = 'dev-users.json'): ReferenceProblem[] {
    const problems: ReferenceProblem[] = [];
    actors.forEach((actor, i) => {
      if (actor.officeId !== undefined && !this.officeById.has(actor.officeId)) {
        problems.push({
          file,
          path: `[${i}].officeId`,
          rule: 'unknown_office',
          reason: `${actor.id}: office ${actor.officeId} is not in offices.json`,
        });
      }
      if (actor.courierId !== undefined && !this.courier(actor.courierId)) {
        problems.push({
          file,
          path: `[${i}].courierId`,
          rule: 'unknown_courier',
          reason: `${actor.id}: courier ${actor.courierId} is not in offices.json's couriers`,
        });
      }
      if (actor.departmentId !== undefined && !this.departmentById.has(actor.departmentId)) {
        problems.push({
          file,
          path: `[${i}].departmentId`,
          rule: 'unknown_department',
          reason: `${actor.id}: department ${actor.departmentId} is not in departments.json`,
        });
      }
    });
    return problems;
  }

  private calendarChain(regionCode: string): string[] {
    if (this.cityByCode.has(regionCode)) return [regionCode];
    const district = this.districtByCode.get(regionCode);
    if (!district) throw new RangeError(`unknown district or city ${regionCode}`);
    return [district.city, district.code];
  }

  private regionName(code: string): string {
    const district = this.districtByCode.get(code);
    if (district) return `${this.cityByCode.get(district.city)?.name ?? ''}${district.name}`;
    return this.cityByCode.get(code)?.name ?? this.provinceByCode.get(code)?.name ?? code;
  }

  private regionNames(codes: readonly string[]): string {
    return codes.map((c) => this.regionName(c)).join('、');
  }
}

function refuse(reason: AcceptanceRefusal, message: string): AcceptanceResult {
  return { ok: false, reason, message };
}
