import { AGE_BAND_RANGES } from '@tongban/contracts';
import { dayNumber, minutesOfTime, weekdayOfDay } from './calendar';
import { type ReferenceProblem, formatPath } from './problems';
import { ReferenceData } from './reference-data';
import {
  type CalendarsFile,
  type DepartmentsFile,
  type ItemsFile,
  type MaterialSpec,
  type ReferenceFileKey,
  type ReferenceFiles,
  type RawReferenceFiles,
  type RegionsFile,
  type ServiceItem,
  type Session,
  REFERENCE_FILES,
  REFERENCE_FILE_KEYS,
} from './schemas';

type Emit = (path: string, rule: string, reason: string) => void;

export interface ValidationResult {
  /** Present when there are no problems. */
  readonly data?: ReferenceData;
  readonly problems: readonly ReferenceProblem[];
}

/**
 * Validates the five files: each against its schema, then the rules inside each file, then the
 * rules across files (run once every file has the right shape). Returns every problem found.
 */
const BAND_MINIMUMS = Object.values(AGE_BAND_RANGES).map((range) => range.min);
const BAND_MAXIMUMS = Object.values(AGE_BAND_RANGES).flatMap((range) =>
  range.max === null ? [] : [range.max],
);

export function validateReferenceFiles(raw: RawReferenceFiles): ValidationResult {
  const problems: ReferenceProblem[] = [];
  const emitter =
    (key: ReferenceFileKey): Emit =>
    (path, rule, reason) =>
      problems.push({ file: REFERENCE_FILES[key].file, path, rule, reason });

  const parsed: Partial<ReferenceFiles> = {};
  for (const key of REFERENCE_FILE_KEYS) {
    const result = REFERENCE_FILES[key].schema.safeParse(raw[key]);
    if (result.success) {
      (parsed as Record<ReferenceFileKey, unknown>)[key] = result.data;
    } else {
      for (const issue of result.error.issues) emitter(key)(formatPath(issue.path), 'schema', issue.message);
    }
  }

  const { regions, offices, departments, items, calendars } = parsed;
  if (regions) checkRegions(regions, emitter('regions'));
  if (departments) checkDepartmentsAlone(departments, emitter('departments'));
  if (items) checkItemsAlone(items, emitter('items'));
  if (calendars) checkCalendarsAlone(calendars, emitter('calendars'));

  if (!regions || !offices || !departments || !items || !calendars) {
    problems.push({
      file: '*',
      path: '',
      rule: 'cross_checks_skipped',
      reason: 'cross-file checks run once every file matches its schema',
    });
    return { problems };
  }
  const data = new ReferenceData({ regions, offices, departments, items, calendars });
  checkRegionDepartments(data, emitter('regions'));
  checkOffices(data, emitter('offices'));
  checkDepartments(data, emitter('departments'));
  checkItems(data, emitter('items'));
  checkCalendars(data, emitter('calendars'));
  return problems.length === 0 ? { data, problems } : { problems };
}

// --- regions.json ---------------------------------------------------------------------------

function checkRegions(file: RegionsFile, emit: Emit): void {
  const seen = new Map<string, string>();
  const unique = (code: string, path: string) => {
    const first = seen.get(code);
    if (first !== undefined) emit(path, 'duplicate_code', `code ${code} is already used at ${first}`);
    else seen.set(code, path);
  };
  const provinces = new Set(file.provinces.map((p) => p.code));
  const cities = new Set(file.cities.map((c) => c.code));
  file.provinces.forEach((p, i) => unique(p.code, `provinces[${i}]`));
  file.cities.forEach((city, i) => {
    unique(city.code, `cities[${i}]`);
    if (!provinces.has(city.province)) {
      emit(
        `cities[${i}].province`,
        'unknown_province',
        `${city.name}: province ${city.province} is not listed`,
      );
    }
    if (!city.code.startsWith(city.province)) {
      emit(
        `cities[${i}].code`,
        'code_prefix',
        `${city.name}: ${city.code} does not start with ${city.province}`,
      );
    }
  });
  file.districts.forEach((district, d) => {
    const at = `districts[${d}]`;
    unique(district.code, at);
    if (!cities.has(district.city)) {
      emit(`${at}.city`, 'unknown_city', `${district.name}: city ${district.city} is not listed`);
    }
    if (!district.code.startsWith(district.city)) {
      emit(
        `${at}.code`,
        'code_prefix',
        `${district.name}: ${district.code} does not start with ${district.city}`,
      );
    }
    if (district.pseudoCode && (!district.codeNote || !district.administeredFrom)) {
      emit(at, 'pseudo_code', `${district.name}: a pseudo-code needs codeNote and administeredFrom`);
    }
    if (
      !district.pseudoCode &&
      (district.codeNote !== undefined || district.administeredFrom !== undefined)
    ) {
      emit(at, 'pseudo_code', `${district.name}: codeNote/administeredFrom are only for pseudo-codes`);
    }
    district.streets.forEach((street, s) => {
      unique(street.code, `${at}.streets[${s}]`);
      if (!street.code.startsWith(district.code)) {
        emit(
          `${at}.streets[${s}].code`,
          'code_prefix',
          `${street.name}: ${street.code} is not in ${district.code}`,
        );
      }
      street.communities.forEach((community, c) => {
        const cat = `${at}.streets[${s}].communities[${c}]`;
        unique(community.code, cat);
        if (!community.code.startsWith(street.code)) {
          emit(`${cat}.code`, 'code_prefix', `${community.name}: ${community.code} is not in ${street.code}`);
        }
      });
    });
  });
}

function checkRegionDepartments(data: ReferenceData, emit: Emit): void {
  data.districts().forEach((district, d) => {
    district.cityLevelTypes.forEach((type, t) => {
      const path = `districts[${d}].cityLevelTypes[${t}]`;
      if (!data.departmentType(type)) {
        emit(path, 'unknown_department_type', `${district.name}: department type ${type} is not listed`);
      } else if (!data.department(`${district.city}-${type}`)) {
        emit(
          path,
          'missing_city_department',
          `${district.name}: no city-level ${type} department ${district.city}-${type}`,
        );
      } else if (data.department(`${district.code}-${type}`)) {
        emit(
          path,
          'ambiguous_department',
          `${district.name}: has its own ${type} department and hands ${type} to the city`,
        );
      }
    });
  });
}

// --- offices.json ---------------------------------------------------------------------------

function checkOffices(data: ReferenceData, emit: Emit): void {
  const offices = data.files.offices.offices;
  const seen = new Set<string>();
  offices.forEach((office, i) => {
    const at = `offices[${i}]`;
    if (seen.has(office.id)) emit(`${at}.id`, 'duplicate_id', `office ${office.id} is listed twice`);
    seen.add(office.id);
    if (!data.district(office.district)) {
      emit(
        `${at}.district`,
        'unknown_district',
        `${office.name}: district ${office.district} is not in regions.json`,
      );
      return;
    }
    const region = office.type === 'street_hall' ? data.street(office.id) : data.community(office.id);
    if (!region) {
      const what = office.type === 'street_hall' ? 'street' : 'community';
      emit(
        `${at}.id`,
        'office_region_mismatch',
        `${office.name}: ${office.id} is not a ${what} code in regions.json`,
      );
    } else if (region.district !== office.district) {
      emit(
        `${at}.district`,
        'office_region_mismatch',
        `${office.name}: ${office.id} lies in ${region.district}, not ${office.district}`,
      );
    }
  });
  const couriers = new Set<string>();
  data.files.offices.couriers.forEach((courier, i) => {
    const at = `couriers[${i}]`;
    if (couriers.has(courier.id)) emit(`${at}.id`, 'duplicate_id', `courier ${courier.id} is listed twice`);
    couriers.add(courier.id);
    courier.districts.forEach((district, j) => {
      if (!data.district(district))
        emit(
          `${at}.districts[${j}]`,
          'unknown_district',
          `courier ${courier.id}: district ${district} is not in regions.json`,
        );
    });
  });
  const missing = [...data.streets(), ...data.communities()].filter((r) => !seen.has(r.code));
  for (const region of missing) {
    emit('offices', 'missing_office', `${region.name} (${region.code}) has no service hall or centre`);
  }
}

// --- departments.json -----------------------------------------------------------------------

function checkDepartmentsAlone(file: DepartmentsFile, emit: Emit): void {
  const types = new Set<string>();
  file.types.forEach((t, i) => {
    if (types.has(t.type))
      emit(`types[${i}].type`, 'duplicate_type', `department type ${t.type} is listed twice`);
    types.add(t.type);
  });
  const ids = new Set<string>();
  file.departments.forEach((department, i) => {
    const at = `departments[${i}]`;
    if (ids.has(department.id))
      emit(`${at}.id`, 'duplicate_id', `department ${department.id} is listed twice`);
    ids.add(department.id);
    if (!types.has(department.type)) {
      emit(
        `${at}.type`,
        'unknown_department_type',
        `${department.name}: type ${department.type} is not listed`,
      );
    }
    if (department.id !== `${department.region}-${department.type}`) {
      emit(
        `${at}.id`,
        'id_mismatch',
        `${department.name}: id must be ${department.region}-${department.type}`,
      );
    }
    if ((department.level === 'city') !== (department.region.length === 4)) {
      emit(
        `${at}.region`,
        'level_mismatch',
        `${department.name}: a ${department.level}-level department needs a ${department.level} code`,
      );
    }
  });
}

function checkDepartments(data: ReferenceData, emit: Emit): void {
  data.files.departments.departments.forEach((department, i) => {
    const known =
      department.level === 'city' ? data.city(department.region) : data.district(department.region);
    if (!known) {
      emit(
        `departments[${i}].region`,
        'unknown_region',
        `${department.name}: ${department.level} ${department.region} is not in regions.json`,
      );
    }
  });
}

// --- items.json -----------------------------------------------------------------------------

function checkItemsAlone(file: ItemsFile, emit: Emit): void {
  const codes = new Set<string>();
  file.items.forEach((item, i) => {
    const at = `items[${i}]`;
    const say = (path: string, rule: string, reason: string) =>
      emit(`${at}${path}`, rule, `${item.code}: ${reason}`);
    if (codes.has(item.code)) say('.code', 'duplicate_code', 'item code is listed twice');
    codes.add(item.code);

    if (item.timeLimits.promisedDays > item.timeLimits.legalDays) {
      say(
        '.timeLimits.promisedDays',
        'promised_exceeds_legal',
        `promised ${item.timeLimits.promisedDays} working days exceeds the legal limit of ${item.timeLimits.legalDays}`,
      );
    }

    const materials = new Map<string, boolean>();
    item.materials.forEach((m, j) => {
      if (materials.has(m.code))
        say(`.materials[${j}].code`, 'duplicate_material', `material ${m.code} is listed twice`);
      materials.set(m.code, m.critical);
      checkMaterialConditions(item, m, `.materials[${j}]`, say);
    });

    if (item.rongque.allowed) {
      item.rongque.materials.forEach((code, j) => {
        const critical = materials.get(code);
        const path = `.rongque.materials[${j}]`;
        if (critical === undefined)
          say(path, 'unknown_material', `容缺 material ${code} is not among the materials`);
        else if (critical)
          say(path, 'critical_rongque', `critical material ${code} cannot be accepted as missing (容缺)`);
      });
    }

    hasDuplicates(item.parallelDepartmentTypes).forEach((j) =>
      say(
        `.parallelDepartmentTypes[${j}]`,
        'duplicate_parallel',
        `parallel type ${item.parallelDepartmentTypes[j]} is listed twice`,
      ),
    );
    item.parallelDepartmentTypes.forEach((type, j) => {
      if (type === item.departmentType) {
        say(
          `.parallelDepartmentTypes[${j}]`,
          'parallel_is_primary',
          `parallel type ${type} is the competent type itself`,
        );
      }
    });
    hasDuplicates(item.deliveryMethods).forEach((j) =>
      say(
        `.deliveryMethods[${j}]`,
        'duplicate_delivery',
        `delivery method ${item.deliveryMethods[j]} is listed twice`,
      ),
    );
    hasDuplicates(item.applicantKinds).forEach((j) =>
      say(
        `.applicantKinds[${j}]`,
        'duplicate_applicant_kind',
        `applicant kind ${item.applicantKinds[j]} is listed twice`,
      ),
    );

    const kinds = item.applicantKinds;
    if (item.jurisdiction.basis === 'household_district' && kinds.includes('company')) {
      say(
        '.jurisdiction.basis',
        'basis_applicant_kind',
        'household_district (属地) only applies to persons; companies have no household',
      );
    }
    if (item.jurisdiction.basis === 'registered_district' && kinds.includes('person')) {
      say('.jurisdiction.basis', 'basis_applicant_kind', 'registered_district only applies to companies');
    }

    if (item.autoApproval.eligible) {
      item.autoApproval.checks.forEach((check, j) => {
        const path = `.autoApproval.checks[${j}]`;
        switch (check.check) {
          case 'applicant_age':
            if (!kinds.includes('person'))
              say(path, 'check_applicant_kind', 'applicant_age needs person applicants');
            if (check.min === undefined && check.max === undefined)
              say(path, 'age_range', 'applicant_age needs min or max');
            if (check.min !== undefined && check.max !== undefined && check.min > check.max) {
              say(path, 'age_range', `min ${check.min} is above max ${check.max}`);
            }
            // Cases carry an age band, not the birth date: a bound inside a band cannot be answered.
            if (check.min !== undefined && !BAND_MINIMUMS.includes(check.min))
              say(`${path}.min`, 'age_band_edge', `min must start an age band (${BAND_MINIMUMS.join(', ')})`);
            if (check.max !== undefined && !BAND_MAXIMUMS.includes(check.max))
              say(`${path}.max`, 'age_band_edge', `max must end an age band (${BAND_MAXIMUMS.join(', ')})`);
            break;
          case 'household_in_region':
            if (!kinds.includes('person'))
              say(path, 'check_applicant_kind', 'household_in_region needs person applicants');
            break;
          case 'company_status':
          case 'registered_in_region':
            if (!kinds.includes('company'))
              say(path, 'check_applicant_kind', `${check.check} needs company applicants`);
            break;
          case 'material_present':
            if (!materials.has(check.material)) {
              say(
                `${path}.material`,
                'unknown_material',
                `秒批 check names unknown material ${check.material}`,
              );
            }
            break;
        }
      });
    }
  });
}

/**
 * A material's conditions must be able to hold for some applicant the item takes: an age bound on a
 * company-only item, or bounds that exclude every age, would make the material silently never asked.
 */
function checkMaterialConditions(
  item: ServiceItem,
  material: MaterialSpec,
  at: string,
  say: (path: string, rule: string, reason: string) => void,
): void {
  let kinds = new Set<string>(item.applicantKinds);
  (material.appliesWhen ?? []).forEach((condition, k) => {
    const path = `${at}.appliesWhen[${k}]`;
    switch (condition.condition) {
      case 'applicant_kind': {
        const foreign = condition.in.filter((kind) => !item.applicantKinds.includes(kind));
        if (foreign.length > 0)
          say(
            path,
            'condition_kind',
            `${material.code}: the item does not take ${foreign.join(', ')} applicants`,
          );
        kinds = new Set([...kinds].filter((kind) => (condition.in as readonly string[]).includes(kind)));
        break;
      }
      case 'applicant_age':
        if (condition.min === undefined && condition.max === undefined)
          say(path, 'condition_age_bounds', `${material.code}: an age condition needs min or max`);
        else if (condition.min !== undefined && condition.max !== undefined && condition.min > condition.max)
          say(
            path,
            'condition_age_bounds',
            `${material.code}: min ${condition.min} is above max ${condition.max}`,
          );
        kinds = new Set([...kinds].filter((kind) => kind === 'person'));
        break;
      case 'household_outside':
        kinds = new Set([...kinds].filter((kind) => kind === 'person'));
        break;
    }
  });
  if (kinds.size === 0)
    say(
      `${at}.appliesWhen`,
      'condition_never_holds',
      `${material.code}: no applicant the item takes meets every condition`,
    );
}

function checkItems(data: ReferenceData, emit: Emit): void {
  const isRegion = (code: string) => data.city(code) !== undefined || data.district(code) !== undefined;
  data.items().forEach((item, i) => {
    const at = `items[${i}]`;
    const say = (path: string, rule: string, reason: string) =>
      emit(`${at}${path}`, rule, `${item.code}: ${reason}`);

    const types = [item.departmentType, ...item.parallelDepartmentTypes];
    if (!data.departmentType(item.departmentType)) {
      say(
        '.departmentType',
        'unknown_department_type',
        `department type ${item.departmentType} is not listed`,
      );
    }
    item.parallelDepartmentTypes.forEach((type, j) => {
      if (!data.departmentType(type)) {
        say(
          `.parallelDepartmentTypes[${j}]`,
          'unknown_department_type',
          `department type ${type} is not listed`,
        );
      }
    });

    let fixedRegion: string | undefined;
    if (item.jurisdiction.basis === 'fixed_department') {
      const department = data.department(item.jurisdiction.department);
      if (!department) {
        say(
          '.jurisdiction.department',
          'unknown_department',
          `department ${item.jurisdiction.department} does not exist`,
        );
      } else if (department.type !== item.departmentType) {
        say(
          '.jurisdiction.department',
          'department_type_mismatch',
          `${department.id} is not a ${item.departmentType} department`,
        );
      } else {
        fixedRegion = department.region;
      }
    }

    (item.overrides ?? []).forEach((override, j) => {
      const path = `.overrides[${j}]`;
      const department = data.department(override.department);
      if (!isRegion(override.region))
        say(`${path}.region`, 'unknown_region', `region ${override.region} is not in regions.json`);
      if (!department) {
        say(`${path}.department`, 'unknown_department', `department ${override.department} does not exist`);
      } else if (!types.includes(department.type)) {
        say(
          `${path}.department`,
          'department_type_mismatch',
          `${department.id} is neither the competent nor a parallel type`,
        );
      } else if (!data.isWithin(override.region, department.region)) {
        say(
          `${path}.region`,
          'override_outside_department',
          `${department.id} does not serve ${override.region}`,
        );
      }
    });

    const scope = item.acceptance;
    if (scope.level === 'cross_region') {
      scope.regions.forEach((region, j) => {
        if (!isRegion(region))
          say(`.acceptance.regions[${j}]`, 'unknown_region', `region ${region} is not in regions.json`);
      });
    }
    if (item.autoApproval.eligible) {
      item.autoApproval.checks.forEach((check, j) => {
        if (check.check !== 'household_in_region' && check.check !== 'registered_in_region') return;
        check.regions.forEach((region, k) => {
          if (!isRegion(region)) {
            say(
              `.autoApproval.checks[${j}].regions[${k}]`,
              'unknown_region',
              `region ${region} is not in regions.json`,
            );
          }
        });
      });
    }

    // Every department the item can need must resolve in every region that can be competent.
    for (const region of possibleCompetentRegions(data, item, fixedRegion)) {
      if (
        scope.level === 'cross_region' &&
        fixedRegion !== undefined &&
        !scope.regions.some((r) => data.isWithin(region, r))
      ) {
        say(
          '.acceptance.regions',
          'scope_excludes_competent',
          `the fixed department's region ${region} is outside the 跨域 regions`,
        );
      }
      const targets = fixedRegion === undefined ? types : item.parallelDepartmentTypes;
      for (const type of targets) {
        if (!data.departmentType(type)) continue;
        if (!data.departmentFor(region, type, item.code)) {
          say(
            type === item.departmentType ? '.departmentType' : '.parallelDepartmentTypes',
            'unresolved_department',
            `no ${type} department for ${region} (add ${region}-${type}, a city-level department via cityLevelTypes, or an override)`,
          );
        }
      }
    }
  });
}

/** Regions whose department may decide the item: the fixed department's, or every district in scope. */
function possibleCompetentRegions(
  data: ReferenceData,
  item: ServiceItem,
  fixedRegion: string | undefined,
): string[] {
  if (item.jurisdiction.basis === 'fixed_department') return fixedRegion === undefined ? [] : [fixedRegion];
  const scope = item.acceptance;
  return data
    .districts()
    .map((d) => d.code)
    .filter((code) => scope.level !== 'cross_region' || scope.regions.some((r) => data.isWithin(code, r)));
}

// --- calendars.json -------------------------------------------------------------------------

function checkCalendarsAlone(file: CalendarsFile, emit: Emit): void {
  const years = file.years.map((y) => y.year);
  hasDuplicates(years).forEach((j) =>
    emit(`years[${j}].year`, 'duplicate_year', `year ${years[j]} is listed twice`),
  );
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  if (sorted.some((year, j) => j > 0 && year !== (sorted[j - 1] ?? year) + 1)) {
    emit(
      'years',
      'years_not_contiguous',
      `years ${sorted.join(', ')} leave a gap; the calendar must cover whole consecutive years`,
    );
  }
  const first = sorted[0] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  const inCoverage = (date: string) => Number(date.slice(0, 4)) >= first && Number(date.slice(0, 4)) <= last;

  file.years.forEach((year, y) => {
    const at = `years[${y}]`;
    const inYear = (date: string) => date.startsWith(`${year.year}-`);
    const ranges: { from: number; to: number; name: string }[] = [];
    year.holidays.forEach((holiday, h) => {
      const path = `${at}.holidays[${h}]`;
      if (!inYear(holiday.from) || !inYear(holiday.to)) {
        emit(
          path,
          'date_outside_year',
          `${holiday.name}: ${holiday.from}..${holiday.to} is not within ${year.year}`,
        );
      }
      const from = dayNumber(holiday.from);
      const to = dayNumber(holiday.to);
      if (from > to) {
        emit(path, 'holiday_range', `${holiday.name}: from ${holiday.from} is after to ${holiday.to}`);
        return;
      }
      const clash = ranges.find((r) => from <= r.to && to >= r.from);
      if (clash) emit(path, 'overlapping_holidays', `${holiday.name} overlaps ${clash.name}`);
      ranges.push({ from, to, name: holiday.name });
    });
    const makeUps = year.makeUpWorkdays.map((m) => m.date);
    hasDuplicates(makeUps).forEach((j) =>
      emit(`${at}.makeUpWorkdays[${j}]`, 'duplicate_date', `${makeUps[j]} is listed twice`),
    );
    year.makeUpWorkdays.forEach((makeUp, m) => {
      const path = `${at}.makeUpWorkdays[${m}]`;
      const day = dayNumber(makeUp.date);
      if (!inYear(makeUp.date)) emit(path, 'date_outside_year', `${makeUp.date} is not within ${year.year}`);
      if (!isWeekend(day))
        emit(
          path,
          'make_up_not_weekend',
          `${makeUp.date} is a weekday; a make-up working day must be a Saturday or Sunday`,
        );
      const clash = ranges.find((r) => day >= r.from && day <= r.to);
      if (clash) emit(path, 'make_up_in_holiday', `${makeUp.date} lies inside ${clash.name}`);
    });
  });

  checkSessions(file.defaults.businessHours, 'defaults.businessHours', emit);
  checkSessions(file.defaults.saturdayServiceHours, 'defaults.saturdayServiceHours', emit);
  file.overrides.forEach((override, o) => {
    const at = `overrides[${o}]`;
    if (override.businessHours) checkSessions(override.businessHours, `${at}.businessHours`, emit);
    if (override.saturdayServiceHours)
      checkSessions(override.saturdayServiceHours, `${at}.saturdayServiceHours`, emit);
    const holidays = new Set((override.extraHolidays ?? []).map((d) => d.date));
    (override.extraHolidays ?? []).forEach((d, j) => {
      if (!inCoverage(d.date))
        emit(`${at}.extraHolidays[${j}]`, 'date_outside_coverage', `${d.date} is outside the covered years`);
    });
    (override.extraWorkdays ?? []).forEach((d, j) => {
      const path = `${at}.extraWorkdays[${j}]`;
      if (!inCoverage(d.date)) emit(path, 'date_outside_coverage', `${d.date} is outside the covered years`);
      if (!isWeekend(dayNumber(d.date))) emit(path, 'make_up_not_weekend', `${d.date} is a weekday already`);
      if (holidays.has(d.date))
        emit(path, 'extra_day_conflict', `${d.date} is both an extra holiday and an extra workday`);
    });
  });
  const regions = file.overrides.map((o) => o.region);
  hasDuplicates(regions).forEach((j) =>
    emit(
      `overrides[${j}].region`,
      'duplicate_override',
      `region ${regions[j]} has two overrides; merge them`,
    ),
  );
}

function checkCalendars(data: ReferenceData, emit: Emit): void {
  data.files.calendars.overrides.forEach((override, o) => {
    if (!data.city(override.region) && !data.district(override.region)) {
      emit(`overrides[${o}].region`, 'unknown_region', `region ${override.region} is not in regions.json`);
    }
  });
}

function checkSessions(sessions: readonly Session[], path: string, emit: Emit): void {
  let previousClose = -1;
  sessions.forEach((session, i) => {
    const open = minutesOfTime(session.open);
    const close = minutesOfTime(session.close);
    if (open >= close)
      emit(
        `${path}[${i}]`,
        'session_order',
        `opens at ${session.open}, not before closing at ${session.close}`,
      );
    else if (open < previousClose)
      emit(`${path}[${i}]`, 'session_order', `starts at ${session.open}, before the previous session closes`);
    previousClose = Math.max(previousClose, close);
  });
}

function isWeekend(day: number): boolean {
  const weekday = weekdayOfDay(day);
  return weekday === 0 || weekday === 6;
}

/** Indexes of entries that repeat an earlier entry. */
function hasDuplicates<T>(values: readonly T[]): number[] {
  const seen = new Set<T>();
  const repeats: number[] = [];
  values.forEach((value, i) => {
    if (seen.has(value)) repeats.push(i);
    seen.add(value);
  });
  return repeats;
}
