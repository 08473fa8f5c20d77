import { type ReferenceFiles, ReferenceData, bundledReferenceFiles, loadReferenceData } from './index';

const data = loadReferenceData();
const XINAN = '440306001'; // 宝安区新安街道党群服务中心
const SHANGCHUAN = '440306001001'; // 新安街道上川社区党群服务中心
const GUIYUAN = '440303001'; // 罗湖区桂园街道党群服务中心
const HUIHUAN = '441305001'; // 仲恺高新区惠环街道便民服务中心

describe('lookups', () => {
  it('finds regions, offices and departments', () => {
    expect(data.district('440306')?.name).toBe('宝安区');
    expect(data.cityOf('441305')?.name).toBe('惠州市');
    expect(data.cityOf('4403')?.name).toBe('深圳市');
    expect(data.street('440303001')).toMatchObject({ name: '桂园街道', district: '440303' });
    expect(data.community(SHANGCHUAN)).toMatchObject({ name: '上川社区', street: XINAN, district: '440306' });
    expect(data.communities('440309').every((c) => c.district === '440309')).toBe(true);
    expect(data.office(HUIHUAN)?.name).toBe('仲恺高新区惠环街道便民服务中心');
    expect(data.office('999999999')).toBeUndefined();
    expect(data.offices({ district: '440303', type: 'street_hall' })).toHaveLength(10);
    expect(data.department('440306-rsj')?.name).toBe('深圳市宝安区人力资源局');
    expect(data.departments({ region: '441305' }).every((d) => d.region === '441305')).toBe(true);
    expect(data.departmentType('crj')?.name).toBe('公安出入境管理');
    expect(data.item('RS-SYBXJ-001')?.name).toBe('失业保险金申领');
    expect(data.item('XX-NOPE-001')).toBeUndefined();
  });

  it('isWithin relates districts and cities', () => {
    expect(data.isWithin('440306', '4403')).toBe(true);
    expect(data.isWithin('441305', '4403')).toBe(false);
    expect(data.isWithin('4403', '440306')).toBe(false);
    expect(data.isWithin('440306', '440306')).toBe(true);
  });
});

describe('departmentFor and assignmentsFor', () => {
  it("uses the district's own department", () => {
    expect(data.departmentFor('440306', 'rsj')?.id).toBe('440306-rsj');
    expect(data.departmentFor('441305', 'scjg')?.id).toBe('441305-scjg');
  });

  it('falls back to the city-level department for types the district hands to the city', () => {
    expect(data.departmentFor('441305', 'crj')?.id).toBe('4413-crj');
    expect(data.departmentFor('441305', 'cl')?.id).toBe('4413-cl');
    expect(data.departmentFor('440306', 'xyz')).toBeUndefined();
  });

  it('applies an item override (handled centrally by the city) inside its region only', () => {
    expect(data.departmentFor('440303', 'ybj', 'YB-MTBZ-004')?.id).toBe('4403-ybj');
    expect(data.departmentFor('441305', 'ybj', 'YB-MTBZ-004')?.id).toBe('441305-ybj');
    expect(data.departmentFor('440303', 'ybj')?.id).toBe('440303-ybj');
  });

  it('resolves primary and parallel (并联) departments', () => {
    expect(data.assignmentsFor('SJ-NZGS-002', '440303')).toEqual({
      primary: expect.objectContaining({ id: '440303-scjg' }),
      parallel: [expect.objectContaining({ id: '440303-sw' }), expect.objectContaining({ id: '440303-ga' })],
    });
    expect(data.assignmentsFor('CL-CJRZ-001', '441305')).toEqual({
      primary: expect.objectContaining({ id: '4413-cl' }),
      parallel: [expect.objectContaining({ id: '441305-wjj' })],
    });
    expect(data.assignmentsFor('MZ-HYDACX-004', '440306')?.primary.id).toBe('4403-mz');
    expect(data.assignmentsFor('RS-SYBXJ-001', '110105')).toBeUndefined();
    expect(data.assignmentsFor('XX-NOPE-001', '440306')).toBeUndefined();
  });
});

describe('acceptanceCheck', () => {
  const person = (householdDistrict: string) => ({ kind: 'person' as const, householdDistrict });

  it('accepts a city-wide item at any office of the city and names the competent district', () => {
    expect(data.acceptanceCheck(XINAN, 'RS-SYBXJ-001', person('440303'))).toEqual({
      ok: true,
      competentRegion: '440303',
    });
    expect(data.acceptanceCheck(SHANGCHUAN, 'RS-SYBXJ-001', person('440309'))).toEqual({
      ok: true,
      competentRegion: '440309',
    });
  });

  it('refuses a district-level item for an applicant of another district', () => {
    expect(data.acceptanceCheck(XINAN, 'MZ-DBSQ-002', person('440303'))).toMatchObject({
      ok: false,
      reason: 'outside_scope',
      message: expect.stringContaining('深圳市罗湖区'),
    });
    expect(data.acceptanceCheck(GUIYUAN, 'MZ-DBSQ-002', person('440303'))).toEqual({
      ok: true,
      competentRegion: '440303',
    });
  });

  it('accepts 跨域通办 items across Shenzhen and Huizhou, and nothing else there', () => {
    expect(data.acceptanceCheck(HUIHUAN, 'YB-YDJYBA-001', person('440306'))).toEqual({
      ok: true,
      competentRegion: '440306',
    });
    expect(data.assignmentsFor('YB-YDJYBA-001', '440306')?.primary.id).toBe('4403-ybj');
    expect(data.acceptanceCheck(XINAN, 'YB-CXJMCB-003', person('441305'))).toEqual({
      ok: true,
      competentRegion: '441305',
    });
    // A city-wide Shenzhen item cannot be filed in Huizhou for a Shenzhen applicant ...
    expect(data.acceptanceCheck(HUIHUAN, 'RS-SYBXJ-001', person('440306'))).toMatchObject({
      ok: false,
      reason: 'outside_scope',
    });
    // ... nor an item fixed to a Shenzhen city-level department.
    expect(data.acceptanceCheck(HUIHUAN, 'MZ-HYDACX-004', person('441305'))).toMatchObject({
      ok: false,
      reason: 'outside_scope',
    });
    expect(data.acceptanceCheck(XINAN, 'MZ-HYDACX-004')).toEqual({ ok: true, competentRegion: '4403' });
  });

  it('refuses a competent district outside the 跨域 regions or unknown to the system', () => {
    // Add Guangzhou 天河区 with one hall (the constructor does not validate).
    const files = bundledReferenceFiles() as unknown as ReferenceFiles;
    files.regions.cities.push({ code: '4401', name: '广州市', province: '44' });
    files.regions.districts.push({
      code: '440106',
      name: '天河区',
      fullName: '广州市天河区',
      city: '4401',
      cityLevelTypes: [],
      streets: [{ code: '440106001', name: '五山街道', kind: 'street', communities: [] }],
    });
    files.offices.offices.push({
      id: '440106001',
      type: 'street_hall',
      district: '440106',
      name: '天河区五山街道党群服务中心',
      address: '广州市天河区五山街道',
      saturdayService: false,
      pickupWindow: true,
    });
    const withGuangzhou = new ReferenceData(files);
    expect(withGuangzhou.acceptanceCheck(XINAN, 'YB-YDJYBA-001', person('440106'))).toMatchObject({
      ok: false,
      reason: 'competent_outside_regions',
      message: expect.stringContaining('深圳市、惠州市'),
    });
    expect(withGuangzhou.acceptanceCheck('440106001', 'YB-YDJYBA-001')).toMatchObject({
      ok: false,
      reason: 'office_outside_regions',
    });
    // 全省通办: a Guangzhou hall may accept a passport for a Shenzhen applicant.
    expect(withGuangzhou.acceptanceCheck('440106001', 'CRJ-PTHZ-002', person('440306'))).toEqual({
      ok: true,
      competentRegion: '440306',
    });
    expect(data.acceptanceCheck(XINAN, 'YB-YDJYBA-001', person('110105'))).toMatchObject({
      ok: false,
      reason: 'unknown_district',
    });
  });

  it('refuses street-hall-only items at community centres', () => {
    expect(
      data.acceptanceCheck(SHANGCHUAN, 'SJ-NZGS-002', { kind: 'company', registeredDistrict: '440306' }),
    ).toMatchObject({ ok: false, reason: 'office_type_not_allowed' });
    expect(
      data.acceptanceCheck(XINAN, 'SJ-NZGS-002', { kind: 'company', registeredDistrict: '440306' }),
    ).toEqual({
      ok: true,
      competentRegion: '440306',
    });
    expect(data.itemsAcceptedAt(SHANGCHUAN).map((i) => i.code)).not.toContain('SJ-NZGS-002');
    expect(data.itemsAcceptedAt(XINAN).map((i) => i.code)).toContain('SJ-NZGS-002');
  });

  it('uses the accepting office as the competent district for accepting_office items', () => {
    expect(data.acceptanceCheck(GUIYUAN, 'MZ-LSJZ-003', person('440306'))).toEqual({
      ok: true,
      competentRegion: '440303',
    });
  });

  it('uses the registered district for company items', () => {
    const company = { kind: 'company' as const, registeredDistrict: '440309' };
    expect(data.acceptanceCheck(XINAN, 'SJ-SPJY-003', company)).toEqual({
      ok: true,
      competentRegion: '440309',
    });
    expect(data.acceptanceCheck(XINAN, 'SJ-YPLS-004', company)).toMatchObject({
      ok: false,
      reason: 'outside_scope',
    });
  });

  it('checks the applicant kind', () => {
    expect(data.acceptanceCheck(XINAN, 'SJ-SPJY-003', person('440306'))).toMatchObject({
      ok: false,
      reason: 'applicant_kind_not_allowed',
    });
  });

  it('without an applicant checks the office side only', () => {
    expect(data.acceptanceCheck(XINAN, 'MZ-DBSQ-002')).toEqual({ ok: true, competentRegion: null });
    expect(data.acceptanceCheck(HUIHUAN, 'YB-YDJYBA-001')).toEqual({ ok: true, competentRegion: null });
    expect(data.acceptanceCheck(XINAN, 'GA-JZZQZ-002')).toEqual({ ok: true, competentRegion: '440306' });
  });

  it('refuses unknown offices and items', () => {
    expect(data.acceptanceCheck('440306999', 'RS-SYBXJ-001')).toMatchObject({
      ok: false,
      reason: 'unknown_office',
    });
    expect(data.acceptanceCheck(XINAN, 'XX-NOPE-001')).toMatchObject({ ok: false, reason: 'unknown_item' });
  });
});
