import { generatePhone, generateResidentId } from '@tongban/pii';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import type { IntakeConfig } from '../config/intake-config';
import { intakeService } from '../intake.service-definition';

const XINAN = 'staff-xinan'; // 宝安区新安街道, office 440306001
const XIXIANG = 'staff-xixiang'; // 宝安区西乡街道, office 440306002

/** 社保卡申领 (RS-SBKSL-003) for a 宝安 resident born on `birthDate`, at the 新安 window. */
function socialSecurityCard(birthDate: string, materials: string[]) {
  return {
    itemCode: 'RS-SBKSL-003',
    applicant: {
      kind: 'person',
      name: '测试申请人',
      idNumber: generateResidentId({ regionCode: '440306', birthDate }),
      phone: generatePhone(),
      householdDistrict: '440306',
    },
    materials: materials.map((code) => ({ code, name: code })),
    delivery: { method: 'pickup', officeId: '440306001' },
  };
}

/** Procedures as the field walks them, through intake's public HTTP API on the real stack. */
describe('intake: field procedures', () => {
  let service: BootedService<IntakeConfig>;
  const tokens: Record<string, string> = {};

  async function call(method: 'GET' | 'POST', path: string, user?: string, body?: unknown) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  }

  beforeAll(async () => {
    service = await bootService(intakeService);
    for (const user of [XINAN, XIXIANG, 'operator']) tokens[user] = await service.tokenFor(user);
    // 2026-12-04 10:00 in China: the ages below are counted on this day.
    jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => new Date('2026-12-04T02:00:00Z'));
  }, 90000);

  afterAll(async () => {
    await service?.close();
  });

  describe('materials that apply only sometimes', () => {
    it('accepts an adult’s 社保卡 application without a guardian’s ID card', async () => {
      const adult = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('2008-12-04', ['id_card', 'photo']),
      );
      expect(adult.status).toBe(201);
      expect(adult.body).toMatchObject({ missingMaterials: [], supplementDueAt: null });
    });

    it('refuses a minor’s without it, naming the material, and stores nothing', async () => {
      const before = await caseCount();
      const minor = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('2008-12-05', ['id_card', 'photo']),
      );
      expect(minor.status).toBe(400);
      expect(minor.body['issues']).toEqual([
        { field: 'materials', reason: expect.stringMatching(/guardian_id_card/) },
      ]);
      expect(await caseCount()).toBe(before);
      const withGuardian = await call(
        'POST',
        '/cases',
        XINAN,
        socialSecurityCard('2008-12-05', ['id_card', 'photo', 'guardian_id_card']),
      );
      expect(withGuardian.status).toBe(201);
    });
  });

  async function caseCount(): Promise<number> {
    const [row] = (await service.dataSource.query('SELECT count(*)::int AS n FROM cases')) as { n: number }[];
    return row!.n;
  }
});
