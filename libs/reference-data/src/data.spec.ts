import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ScopedActor, bundledReferenceFiles, loadReferenceData, validateReferenceFiles } from './index';

const DEV_USERS = join(__dirname, '../../auth/src/dev/dev-users.json');

describe('the bundled reference data', () => {
  const data = loadReferenceData();

  it('validates without a single problem', () => {
    expect(validateReferenceFiles(bundledReferenceFiles()).problems).toEqual([]);
  });

  it('carries a version in every file', () => {
    expect(Object.values(data.versions)).toEqual(
      Array(5).fill(expect.stringMatching(/^\d{4}\.\d{1,2}\.\d+$/)),
    );
    expect(data.versionLabel()).toMatch(/^regions@\S+ offices@\S+ departments@\S+ items@\S+ calendars@\S+$/);
  });

  it('has Bao an, Luohu, Longhua and a Huizhou district for 跨域通办', () => {
    expect(data.districts().map((d) => `${d.code} ${d.name}`)).toEqual([
      '440306 宝安区',
      '440303 罗湖区',
      '440309 龙华区',
      '441305 仲恺高新区',
    ]);
    expect(data.street('440306001')?.name).toBe('新安街道');
    expect(data.street('440306002')?.name).toBe('西乡街道');
    expect(data.streets('440306').map((s) => s.name)).toEqual(
      expect.arrayContaining(['新安街道', '西乡街道', '航城街道', '福永街道', '福海街道', '沙井街道']),
    );
    for (const street of data.streets())
      expect(data.communities(street.code).length).toBeGreaterThanOrEqual(2);
    const zhongkai = data.district('441305');
    expect(zhongkai).toMatchObject({ pseudoCode: true, administeredFrom: '441302', city: '4413' });
  });

  it('has a service hall per street and a centre per community', () => {
    expect(data.offices({ type: 'street_hall' })).toHaveLength(data.streets().length);
    expect(data.offices({ type: 'community_centre' })).toHaveLength(data.communities().length);
    expect(data.office('440306001')).toMatchObject({
      type: 'street_hall',
      district: '440306',
      pickupWindow: true,
    });
    expect(data.office('440306001001')).toMatchObject({ type: 'community_centre', district: '440306' });
  });

  it('has the departments of each district and city-level departments', () => {
    const types = ['rsj', 'ybj', 'scjg', 'crj', 'ga', 'wjj', 'cl', 'mz', 'sw'];
    for (const district of data.districts()) {
      for (const type of types) expect(data.departmentFor(district.code, type)).toBeDefined();
    }
    expect(data.department('4403-ybj')).toMatchObject({ name: '深圳市医疗保障局', level: 'city' });
  });

  it('has at least 25 items with a realistic mix', () => {
    const items = data.items();
    expect(items.length).toBeGreaterThanOrEqual(25);
    const names = items.map((i) => i.name).join(' ');
    for (const name of [
      '失业保险金申领',
      '异地就医备案',
      '生育医疗费用报销',
      '个体工商户设立登记',
      '内资有限责任公司设立登记',
      '公共场所卫生许可证',
      '残疾人证办理',
      '无犯罪记录证明',
      '出入境证件签注',
      '灵活就业人员参保登记',
      '社会保障卡申领',
      '居住证签注',
      '高龄津贴申请',
      '最低生活保障申请',
      '就业创业证申领',
      '职业资格证书补贴',
      '食品经营许可',
      '药品零售许可',
      '医师执业注册',
      '护士执业注册',
      '婚姻登记档案查询',
      '城乡居民医保参保登记',
      '门诊特定病种认定',
      '独生子女父母奖励',
      '临时救助申请',
    ]) {
      expect(names).toContain(name);
    }
    const count = (predicate: (item: (typeof items)[number]) => boolean) => items.filter(predicate).length;
    expect(count((i) => i.autoApproval.eligible)).toBeGreaterThanOrEqual(3);
    expect(count((i) => i.rongque.allowed)).toBeGreaterThanOrEqual(3);
    expect(count((i) => i.parallelDepartmentTypes.length > 0)).toBeGreaterThanOrEqual(2);
    expect(count((i) => i.acceptance.level === 'cross_region')).toBeGreaterThanOrEqual(2);
    expect(
      count((i) => (i.overrides ?? []).length > 0 || i.jurisdiction.basis === 'fixed_department'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      count((i) => i.acceptance.officeTypes?.includes('community_centre') === false),
    ).toBeGreaterThanOrEqual(1);
    for (const basis of [
      'household_district',
      'registered_district',
      'accepting_office',
      'fixed_department',
    ]) {
      expect(count((i) => i.jurisdiction.basis === basis)).toBeGreaterThanOrEqual(1);
    }
  });

  it('knows every office and department the dev users act for (libs/auth/src/dev/dev-users.json)', () => {
    const users = JSON.parse(readFileSync(DEV_USERS, 'utf8')) as ScopedActor[];
    expect(users.some((u) => u.officeId === '441305001')).toBe(true);
    expect(data.scopeProblems(users)).toEqual([]);
  });
});
