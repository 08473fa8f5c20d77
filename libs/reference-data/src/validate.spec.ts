import {
  type CalendarsFile,
  type DepartmentsFile,
  type ItemsFile,
  type OfficesFile,
  type ReferenceProblem,
  type RegionsFile,
  ReferenceDataError,
  bundledReferenceFiles,
  loadReferenceData,
  parseReferenceData,
  validateReferenceFiles,
} from './index';

interface Files {
  regions: RegionsFile;
  offices: OfficesFile;
  departments: DepartmentsFile;
  items: ItemsFile;
  calendars: CalendarsFile;
}

/** Validates a broken copy of the bundled files. */
function problemsAfter(breakIt: (files: Files) => void): readonly ReferenceProblem[] {
  const files = bundledReferenceFiles() as unknown as Files;
  breakIt(files);
  return validateReferenceFiles(files).problems;
}

const itemIndex = (code: string) =>
  (bundledReferenceFiles() as unknown as Files).items.items.findIndex((i) => i.code === code);
const item = (files: Files, code: string) => files.items.items.find((i) => i.code === code)!;
const problem = (file: string, path: string, rule: string, reason?: RegExp) =>
  expect.objectContaining({ file, path, rule, ...(reason ? { reason: expect.stringMatching(reason) } : {}) });

describe('schema problems', () => {
  it('names the file and path of a wrong type and skips the cross-file checks', () => {
    const problems = problemsAfter((f) => {
      (f.items.items[0]!.timeLimits as { legalDays: unknown }).legalDays = 'twenty';
    });
    expect(problems).toContainEqual(problem('items.json', 'items[0].timeLimits.legalDays', 'schema'));
    expect(problems).toContainEqual(problem('*', '', 'cross_checks_skipped'));
  });

  it('requires a version like 2026.11.1 in every file', () => {
    const problems = problemsAfter((f) => {
      delete (f.offices as { version?: string }).version;
      f.calendars.version = '2026-11';
    });
    expect(problems).toContainEqual(problem('offices.json', 'version', 'schema'));
    expect(problems).toContainEqual(problem('calendars.json', 'version', 'schema', /2026\.11\.1/));
  });

  it('rejects unknown keys (typos)', () => {
    const problems = problemsAfter((f) => {
      (f.offices.offices[0] as Record<string, unknown>)['saturdayServce'] = true;
    });
    expect(problems).toContainEqual(problem('offices.json', 'offices[0]', 'schema', /saturdayServce/));
  });

  it('rejects a jurisdiction basis that is not for items', () => {
    const problems = problemsAfter((f) => {
      (f.items.items[0]!.jurisdiction as { basis: string }).basis = 'manual';
    });
    expect(problems).toContainEqual(problem('items.json', 'items[0].jurisdiction.basis', 'schema'));
  });
});

describe('items.json rules', () => {
  it('promised time limit at most the legal one', () => {
    const problems = problemsAfter((f) => {
      item(f, 'RS-SYBXJ-001').timeLimits.promisedDays = 25;
    });
    expect(problems).toEqual([
      problem(
        'items.json',
        'items[0].timeLimits.promisedDays',
        'promised_exceeds_legal',
        /RS-SYBXJ-001.*25.*20/,
      ),
    ]);
  });

  it('critical materials cannot be 容缺', () => {
    const problems = problemsAfter((f) => {
      const i = item(f, 'RS-SYBXJ-001');
      if (i.rongque.allowed) i.rongque.materials.push('id_card');
    });
    expect(problems).toEqual([
      problem('items.json', 'items[0].rongque.materials[1]', 'critical_rongque', /id_card/),
    ]);
  });

  it('couriers: unique ids, known districts', () => {
    const problems = problemsAfter((f) => {
      f.offices.couriers.push({ id: 'courier-01', name: 'x', districts: ['440399'], active: true });
    });
    const at = `couriers[${(bundledReferenceFiles() as unknown as Files).offices.couriers.length}]`;
    expect(problems).toEqual([
      problem('offices.json', `${at}.id`, 'duplicate_id', /courier-01/),
      problem('offices.json', `${at}.districts[0]`, 'unknown_district', /440399/),
    ]);
  });

  it('a material condition must be able to hold for an applicant the item takes', () => {
    const problems = problemsAfter((f) => {
      const company = item(f, 'SJ-QYBG-005');
      company.materials[2]!.appliesWhen = [{ condition: 'applicant_age', max: 17 }];
      company.materials[1]!.appliesWhen = [{ condition: 'applicant_kind', in: ['person'] }];
      const card = item(f, 'RS-SBKSL-003');
      card.materials[1]!.appliesWhen = [{ condition: 'applicant_age', min: 60, max: 17 }];
      card.materials[2]!.appliesWhen = [{ condition: 'applicant_age' }];
    });
    const at = (code: string) => `items[${itemIndex(code)}]`;
    expect(problems).toEqual(
      expect.arrayContaining([
        problem('items.json', `${at('SJ-QYBG-005')}.materials[2].appliesWhen`, 'condition_never_holds'),
        problem('items.json', `${at('SJ-QYBG-005')}.materials[1].appliesWhen[0]`, 'condition_kind', /person/),
        problem(
          'items.json',
          `${at('RS-SBKSL-003')}.materials[1].appliesWhen[0]`,
          'condition_age_bounds',
          /60/,
        ),
        problem('items.json', `${at('RS-SBKSL-003')}.materials[2].appliesWhen[0]`, 'condition_age_bounds'),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('rejects an unknown material condition', () => {
    const problems = problemsAfter((f) => {
      (item(f, 'RS-SBKSL-003').materials[2] as { appliesWhen: unknown }).appliesWhen = [
        { condition: 'moon_phase' },
      ];
    });
    expect(problems).toContainEqual(
      problem(
        'items.json',
        `items[${itemIndex('RS-SBKSL-003')}].materials[2].appliesWhen[0].condition`,
        'schema',
      ),
    );
  });

  it('容缺 and 秒批 checks name existing materials', () => {
    const problems = problemsAfter((f) => {
      const i = item(f, 'RS-SYBXJ-001');
      if (i.rongque.allowed) i.rongque.materials = ['bank_card'];
      if (i.autoApproval.eligible)
        i.autoApproval.checks.push({ check: 'material_present', material: 'nope', label: 'x' });
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[0].rongque.materials[0]', 'unknown_material'),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[0].autoApproval.checks[2].material', 'unknown_material'),
    );
  });

  it('parallel types differ from the competent type and do not repeat', () => {
    const problems = problemsAfter((f) => {
      item(f, 'SJ-NZGS-002').parallelDepartmentTypes = ['sw', 'scjg', 'sw'];
    });
    const at = 'items[11].parallelDepartmentTypes';
    expect(problems).toContainEqual(problem('items.json', `${at}[1]`, 'parallel_is_primary'));
    expect(problems).toContainEqual(problem('items.json', `${at}[2]`, 'duplicate_parallel'));
  });

  it('item codes and material codes are unique', () => {
    const problems = problemsAfter((f) => {
      f.items.items[1]!.code = f.items.items[0]!.code;
      f.items.items[2]!.materials.push({ code: 'id_card', name: '身份证复印件', critical: false });
    });
    expect(problems).toContainEqual(problem('items.json', 'items[1].code', 'duplicate_code'));
    expect(problems).toContainEqual(
      problem('items.json', 'items[2].materials[3].code', 'duplicate_material'),
    );
  });

  it('the jurisdiction basis fits the applicant kinds', () => {
    const problems = problemsAfter((f) => {
      item(f, 'RS-SYBXJ-001').applicantKinds = ['person', 'company'];
      item(f, 'SJ-SPJY-003').applicantKinds = ['company', 'person'];
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[0].jurisdiction.basis', 'basis_applicant_kind'),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[12].jurisdiction.basis', 'basis_applicant_kind'),
    );
  });

  it('秒批 checks fit the applicant kinds and have a sensible age range', () => {
    const problems = problemsAfter((f) => {
      const i = item(f, 'MZ-GLJT-001');
      if (i.autoApproval.eligible) {
        i.autoApproval.checks.push({ check: 'company_status', equals: 'active', label: 'x' });
        i.autoApproval.checks.push({ check: 'applicant_age', min: 80, max: 70, label: 'y' });
        i.autoApproval.checks.push({ check: 'applicant_age', label: 'z' });
      }
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[24].autoApproval.checks[2]', 'check_applicant_kind'),
    );
    expect(problems).toContainEqual(problem('items.json', 'items[24].autoApproval.checks[3]', 'age_range'));
    expect(problems).toContainEqual(problem('items.json', 'items[24].autoApproval.checks[4]', 'age_range'));
  });

  it('age bounds of 秒批 checks lie on the edges of the age bands cases carry', () => {
    const problems = problemsAfter((f) => {
      const i = item(f, 'MZ-GLJT-001');
      if (i.autoApproval.eligible)
        i.autoApproval.checks.push({ check: 'applicant_age', min: 65, max: 69, label: 'w' });
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[24].autoApproval.checks[2].min', 'age_band_edge'),
    );
    expect(problems).not.toContainEqual(
      problem('items.json', 'items[24].autoApproval.checks[2].max', 'age_band_edge'),
    );
  });

  it('department types exist', () => {
    const problems = problemsAfter((f) => {
      item(f, 'RS-SYBXJ-001').departmentType = 'rsjj';
      item(f, 'SJ-SPJY-003').parallelDepartmentTypes = ['wsj'];
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[0].departmentType', 'unknown_department_type'),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[12].parallelDepartmentTypes[0]', 'unknown_department_type'),
    );
  });

  it('every department type an item needs exists in every district that may be competent', () => {
    const problems = problemsAfter((f) => {
      f.departments.departments = f.departments.departments.filter((d) => d.id !== '440309-wjj');
    });
    // The primary type of the 卫健 items and the parallel type of 食品经营许可 / 残疾人证.
    expect(problems).toContainEqual(
      problem('items.json', 'items[15].departmentType', 'unresolved_department', /440309/),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[12].parallelDepartmentTypes', 'unresolved_department', /wjj.*440309/),
    );
  });

  it('cross-region items only need departments inside their regions', () => {
    const problems = problemsAfter((f) => {
      f.regions.cities.push({ code: '4401', name: '广州市', province: '44' });
      f.regions.districts.push({
        code: '440106',
        name: '天河区',
        fullName: '广州市天河区',
        city: '4401',
        cityLevelTypes: [],
        streets: [
          {
            code: '440106001',
            name: '五山街道',
            kind: 'street',
            communities: [{ code: '440106001001', name: '华工社区', kind: 'community' }],
          },
        ],
      });
    });
    // 天河 has no departments: every item reachable from it complains, the 深惠 跨域 items do not.
    const unresolved = problems.filter((p) => p.rule === 'unresolved_department').map((p) => p.reason);
    expect(unresolved.some((r) => r.startsWith('RS-SYBXJ-001'))).toBe(true);
    expect(unresolved.some((r) => r.startsWith('YB-YDJYBA-001'))).toBe(false);
    expect(unresolved.some((r) => r.startsWith('MZ-HYDACX-004'))).toBe(false);
  });

  it('fixed and override departments exist, have the right type and serve the region', () => {
    const problems = problemsAfter((f) => {
      const fixed = item(f, 'MZ-HYDACX-004');
      if (fixed.jurisdiction.basis === 'fixed_department') fixed.jurisdiction.department = '4403-ybj';
      item(f, 'YB-MTBZ-004').overrides = [{ region: '4413', department: '4403-ybj', note: 'x' }];
      item(f, 'YB-SYYLBX-002').overrides = [{ region: '4403', department: '4403-mz', note: 'x' }];
      item(f, 'YB-YBGXZY-005').overrides = [{ region: '4403', department: '4403-xx', note: 'x' }];
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[27].jurisdiction.department', 'department_type_mismatch'),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[8].overrides[0].region', 'override_outside_department'),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[6].overrides[0].department', 'department_type_mismatch'),
    );
    expect(problems).toContainEqual(
      problem('items.json', 'items[9].overrides[0].department', 'unknown_department'),
    );
  });

  it('regions named by scopes and checks exist', () => {
    const problems = problemsAfter((f) => {
      item(f, 'YB-YDJYBA-001').acceptance = { level: 'cross_region', regions: ['4403', '4419'] };
    });
    expect(problems).toContainEqual(
      problem('items.json', 'items[5].acceptance.regions[1]', 'unknown_region'),
    );
  });
});

describe('regions.json, offices.json and departments.json rules', () => {
  it('region codes are unique and nest', () => {
    const problems = problemsAfter((f) => {
      const baoan = f.regions.districts[0]!;
      baoan.streets[1]!.code = baoan.streets[0]!.code;
      baoan.streets[2]!.communities[0]!.code = '440303003001';
    });
    expect(problems).toContainEqual(problem('regions.json', 'districts[0].streets[1]', 'duplicate_code'));
    expect(problems).toContainEqual(
      problem('regions.json', 'districts[0].streets[2].communities[0].code', 'code_prefix'),
    );
  });

  it('a pseudo-code is explained', () => {
    const problems = problemsAfter((f) => {
      delete f.regions.districts[3]!.codeNote;
    });
    expect(problems).toContainEqual(problem('regions.json', 'districts[3]', 'pseudo_code'));
  });

  it('types handed to the city have a city-level department and no district one', () => {
    const problems = problemsAfter((f) => {
      f.departments.departments = f.departments.departments.filter((d) => d.id !== '4413-crj');
      f.regions.districts[0]!.cityLevelTypes = ['rsj'];
    });
    expect(problems).toContainEqual(
      problem('regions.json', 'districts[3].cityLevelTypes[0]', 'missing_city_department'),
    );
    expect(problems).toContainEqual(
      problem('regions.json', 'districts[0].cityLevelTypes[0]', 'missing_city_department'),
    );
    const both = problemsAfter((f) => {
      f.departments.departments.push({
        id: '4403-rsj',
        name: '深圳市人力资源和社会保障局',
        type: 'rsj',
        level: 'city',
        region: '4403',
        enabled: true,
      });
      f.regions.districts[0]!.cityLevelTypes = ['rsj'];
    });
    expect(both).toContainEqual(
      problem('regions.json', 'districts[0].cityLevelTypes[0]', 'ambiguous_department'),
    );
  });

  it('every office lies in a known district, on its own street or community', () => {
    const problems = problemsAfter((f) => {
      f.offices.offices[0]!.district = '440305';
      f.offices.offices[1]!.district = '440303';
      f.offices.offices[2]!.type = 'street_hall';
      f.offices.offices[4]!.id = f.offices.offices[3]!.id;
    });
    expect(problems).toContainEqual(problem('offices.json', 'offices[0].district', 'unknown_district'));
    expect(problems).toContainEqual(problem('offices.json', 'offices[1].district', 'office_region_mismatch'));
    expect(problems).toContainEqual(problem('offices.json', 'offices[2].id', 'office_region_mismatch'));
    expect(problems).toContainEqual(problem('offices.json', 'offices[4].id', 'duplicate_id'));
    expect(problems).toContainEqual(problem('offices.json', 'offices', 'missing_office', /440306001004/));
  });

  it('department ids, types, levels and regions are consistent', () => {
    const problems = problemsAfter((f) => {
      const [first, , third, fourth, fifth] = f.departments.departments;
      first!.id = '440306-ybj';
      third!.level = 'city';
      fourth!.type = 'xyz';
      fourth!.id = '440306-xyz';
      fifth!.region = '440399';
      fifth!.id = '440399-ga';
    });
    expect(problems).toContainEqual(problem('departments.json', 'departments[0].id', 'id_mismatch'));
    expect(problems).toContainEqual(problem('departments.json', 'departments[1].id', 'duplicate_id'));
    expect(problems).toContainEqual(problem('departments.json', 'departments[4].region', 'unknown_region'));
    expect(problems).toContainEqual(problem('departments.json', 'departments[2].region', 'level_mismatch'));
    expect(problems).toContainEqual(
      problem('departments.json', 'departments[3].type', 'unknown_department_type'),
    );
  });

  it('dev users act for existing offices, departments and couriers', () => {
    const data = loadReferenceData();
    expect(
      data.scopeProblems([
        { id: 'ok', officeId: '440306001' },
        { id: 'gone', officeId: '441302001' },
        { id: 'rev', departmentId: '440309-xyz' },
        { id: 'courier', courierId: 'courier-77' },
      ]),
    ).toEqual([
      problem('dev-users.json', '[1].officeId', 'unknown_office', /441302001/),
      problem('dev-users.json', '[2].departmentId', 'unknown_department', /440309-xyz/),
      problem('dev-users.json', '[3].courierId', 'unknown_courier', /courier-77/),
    ]);
  });
});

describe('calendars.json rules', () => {
  const y2026 = (f: Files) => f.calendars.years[0]!;

  it('make-up working days are weekend days outside the holidays', () => {
    const problems = problemsAfter((f) => {
      y2026(f).makeUpWorkdays.push({ date: '2026-02-16', for: '春节' }, { date: '2026-03-03', for: '?' });
    });
    expect(problems).toContainEqual(
      problem('calendars.json', 'years[0].makeUpWorkdays[6]', 'make_up_in_holiday'),
    );
    expect(problems).toContainEqual(
      problem('calendars.json', 'years[0].makeUpWorkdays[7]', 'make_up_not_weekend'),
    );
  });

  it('holidays are ordered ranges inside their year that do not overlap', () => {
    const problems = problemsAfter((f) => {
      y2026(f).holidays.push(
        { name: '错误', from: '2026-03-10', to: '2026-03-08' },
        { name: '重叠', from: '2026-10-07', to: '2026-10-08' },
        { name: '跨年', from: '2025-12-31', to: '2026-01-01' },
      );
    });
    expect(problems).toContainEqual(problem('calendars.json', 'years[0].holidays[7]', 'holiday_range'));
    expect(problems).toContainEqual(
      problem('calendars.json', 'years[0].holidays[8]', 'overlapping_holidays', /国庆节/),
    );
    expect(problems).toContainEqual(problem('calendars.json', 'years[0].holidays[9]', 'date_outside_year'));
  });

  it('years are consecutive', () => {
    const problems = problemsAfter((f) => {
      f.calendars.years[1]!.year = 2028;
    });
    expect(problems).toContainEqual(problem('calendars.json', 'years', 'years_not_contiguous'));
  });

  it('business sessions open before they close and do not overlap', () => {
    const problems = problemsAfter((f) => {
      f.calendars.defaults.businessHours = [
        { open: '09:00', close: '12:00' },
        { open: '11:00', close: '18:00' },
      ];
      f.calendars.overrides[0]!.saturdayServiceHours = [{ open: '12:00', close: '09:00' }];
    });
    expect(problems).toContainEqual(problem('calendars.json', 'defaults.businessHours[1]', 'session_order'));
    expect(problems).toContainEqual(
      problem('calendars.json', 'overrides[0].saturdayServiceHours[0]', 'session_order'),
    );
  });

  it('overrides name known regions, once each, with dates inside the covered years', () => {
    const problems = problemsAfter((f) => {
      f.calendars.overrides.push(
        { region: '440304', note: '福田' },
        { region: '4413', note: 'again', extraHolidays: [{ date: '2028-01-03', name: 'x' }] },
        { region: '440303', note: 'x', extraWorkdays: [{ date: '2026-03-04', name: 'y' }] },
      );
    });
    const at = (added: number) =>
      `overrides[${(bundledReferenceFiles() as unknown as Files).calendars.overrides.length + added}]`;
    expect(problems).toContainEqual(problem('calendars.json', `${at(0)}.region`, 'unknown_region'));
    expect(problems).toContainEqual(problem('calendars.json', `${at(1)}.region`, 'duplicate_override'));
    expect(problems).toContainEqual(
      problem('calendars.json', `${at(1)}.extraHolidays[0]`, 'date_outside_coverage'),
    );
    expect(problems).toContainEqual(
      problem('calendars.json', `${at(2)}.extraWorkdays[0]`, 'make_up_not_weekend'),
    );
  });
});

describe('one error for everything', () => {
  it('lists every problem of every file', () => {
    const files = bundledReferenceFiles() as unknown as Files;
    item(files, 'RS-SYBXJ-001').timeLimits.promisedDays = 99;
    files.offices.offices[0]!.district = '440305';
    files.calendars.overrides[0]!.region = '4499';
    let error: unknown;
    try {
      parseReferenceData(files);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReferenceDataError);
    const { problems, message } = error as ReferenceDataError;
    expect(problems.map((p) => `${p.file} ${p.rule}`)).toEqual([
      'items.json promised_exceeds_legal',
      'offices.json unknown_district',
      'calendars.json unknown_region',
    ]);
    expect(message).toContain('3 problems');
    expect(message).toContain('items.json items[0].timeLimits.promisedDays: [promised_exceeds_legal]');
  });
});
