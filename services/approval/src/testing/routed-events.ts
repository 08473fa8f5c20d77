import { randomUUID } from 'node:crypto';
import {
  type AnyCaseSnapshot,
  type CaseSnapshot,
  type CaseSnapshotV2,
  createEvent,
  type EventOf,
  snapshotVersion,
} from '@tongban/contracts';
import { loadReferenceData } from '@tongban/reference-data';

/** Builders of the events other services send approval, for the integration specs. */

const protectedValue = (masked: string) => ({
  ciphertext: 'v1.k1.c3ludGhldGljLWNpcGhlcnRleHQ',
  hash: 'f'.repeat(64),
  masked,
});

export function personCase(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    receiptNumber: `440306001-20261124-${String(Math.floor(Math.random() * 9000) + 1000)}`,
    itemCode: 'RS-SBKSL-003',
    acceptingOfficeId: '440306001',
    acceptingDistrict: '440306',
    applicant: {
      kind: 'person',
      name: '测试申请人',
      idNumber: protectedValue('440306********002X'),
      phone: protectedValue('138****0000'),
      householdDistrict: '440306',
      birthDate: '1990-01-01',
    },
    materials: [{ code: 'id_card', name: '居民身份证' }],
    missingMaterials: [],
    delivery: { method: 'pickup', officeId: '440306001' },
    ...overrides,
  };
}

export interface RoutedOptions {
  readonly caseId?: string;
  readonly case?: AnyCaseSnapshot;
  readonly departments?: readonly string[];
  readonly timeLimitDays?: number;
  readonly slaDueAt?: Date;
  readonly supersedesRoutingId?: string;
}

/** The bundled reference data, as the services under test load it. */
const reference = loadReferenceData();

/** A valid `case.routed` as routing emits it; the first department is the primary one. */
export function routedEvent(options: RoutedOptions = {}): EventOf<'case.routed'> {
  const departments = options.departments ?? ['440306-rsj'];
  const [primary = '440306-rsj'] = departments;
  const timeLimitDays = options.timeLimitDays ?? 5;
  // As routing computes it: the primary department's closing time on the last working day. A raw
  // "now + 7 days" lay outside business hours when a test ran after 18:00 in Shenzhen.
  const slaDueAt =
    options.slaDueAt ?? reference.calendarForDepartment(primary).addWorkingDays(new Date(), timeLimitDays);
  const snapshot = options.case ?? personCase();
  return createEvent({
    type: 'case.routed',
    version: snapshotVersion(snapshot),
    caseId: options.caseId ?? randomUUID(),
    producer: 'routing',
    payload: {
      routingId: randomUUID(),
      ...(options.supersedesRoutingId ? { supersedesRoutingId: options.supersedesRoutingId } : {}),
      // Either version: createEvent checks it against the version named above.
      case: snapshot as CaseSnapshotV2,
      assignments: departments.map((departmentId, index) => ({
        departmentId,
        districtCode: departmentId.slice(0, 6),
        role: index === 0 ? 'primary' : 'parallel',
      })),
      crossDistrict: false,
      basis: 'household_district',
      timeLimitDays,
      slaDueAt: slaDueAt.toISOString(),
      routedBy: { sub: 'system', role: 'system' },
    },
  });
}

export function supplementedEvent(
  caseId: string,
  request: { requestId: string; departmentId: string; round: number },
  materials: readonly { code: string; name: string }[],
): EventOf<'case.supplemented'> {
  return createEvent({
    type: 'case.supplemented',
    caseId,
    producer: 'intake',
    payload: {
      ...request,
      materials: [...materials],
      supplementedBy: { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001' },
    },
  });
}
