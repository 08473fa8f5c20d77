import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Actor } from '@tongban/auth';
import type { SatisfactionLevel, TongbanEvent } from '@tongban/contracts';
import { loadReferenceData, localDateOfDay, dayNumber } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService, callService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually, sampleEvent, WORKSPACE_ROOT } from '@tongban/testing';
import ExcelJS from 'exceljs';
import type { Producer } from 'kafkajs';
import type { SupervisionConfig } from '../config/supervision-config';
import { FIGURE_COLUMNS } from '../reports/report-workbook';
import { ReportService } from '../reports/report.service';
import { supervisionService } from '../supervision.service-definition';

const reference = loadReferenceData();
const OFFICES = [
  { id: '440306001', district: '440306', staff: 'staff-xinan' },
  { id: '440306002', district: '440306', staff: 'staff-xixiang' },
  { id: '440303001', district: '440303', staff: 'staff-luohu' },
] as const;
const DEPARTMENTS = ['440306-rsj', '440306-ybj'] as const;
const ITEM = 'RS-SYBXJ-001';
const PROMISED_DAYS = reference.item(ITEM)!.timeLimits.promisedDays;
const LEGAL_DAYS = 3;
// Receipts differ between runs: the per-receipt proof budget lives in the shared Redis.
const RUN = String(10000 + Math.floor(Math.random() * 90000));
const LEVELS: readonly SatisfactionLevel[] = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
];

/** A small seeded generator (mulberry32), so the month of history is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeededCase {
  readonly caseId: string;
  readonly office: (typeof OFFICES)[number];
  readonly department: string;
  readonly receipt: string;
  readonly last4: string;
  readonly acceptedDay: string;
  /** Working days to the decision, or null when undecided. */
  readonly days: number | null;
  readonly rounds: number;
  readonly rongque: boolean;
  readonly rongqueDone: boolean;
  readonly cross: boolean;
  readonly level: SatisfactionLevel | null;
  /** For a 差评: how far its rectification went. */
  readonly handled: 'none' | 'visited' | 'rectified';
}

/** The n-th working day after a local date, on the department's calendar, at 10:00 China time. */
function workingDayAfter(day: string, n: number, department: string): Date {
  const calendar = reference.calendarForDepartment(department);
  let current = dayNumber(day);
  let left = n;
  while (left > 0) {
    current += 1;
    if (calendar.isWorkingDay(localDateOfDay(current))) left -= 1;
  }
  return new Date(`${localDateOfDay(current)}T10:00:00+08:00`);
}

function percentile90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = 0.9 * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const share = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
const two = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/** The figures of some cases, recomputed here from what the test published, not from the service's code. */
function expectedFigures(key: string, cases: readonly SeededCase[]) {
  const decided = cases.filter((c) => c.days !== null);
  const days = decided.map((c) => c.days!);
  const rated = cases.filter((c) => c.level !== null);
  const bad = rated.filter((c) => c.level === 'dissatisfied' || c.level === 'very_dissatisfied');
  const rongque = cases.filter((c) => c.rongque);
  return {
    key,
    accepted: cases.length,
    decided: decided.length,
    decidedOnTimeLegal: decided.filter((c) => c.days! <= LEGAL_DAYS).length,
    onTimeRateLegal: share(decided.filter((c) => c.days! <= LEGAL_DAYS).length, decided.length),
    decidedOnTimePromised: decided.filter((c) => c.days! <= PROMISED_DAYS).length,
    onTimeRatePromised: share(decided.filter((c) => c.days! <= PROMISED_DAYS).length, decided.length),
    instant: decided.filter((c) => c.days === 0).length,
    instantRate: share(decided.filter((c) => c.days === 0).length, decided.length),
    avgWorkingDays: two(days.length ? days.reduce((a, b) => a + b, 0) / days.length : null),
    p90WorkingDays: two(percentile90(days)),
    supplementRoundsPerCase: two(cases.reduce((sum, c) => sum + c.rounds, 0) / cases.length),
    rongqueCases: rongque.length,
    rongqueCompleted: rongque.filter((c) => c.rongqueDone).length,
    rongqueCompletionRate: share(rongque.filter((c) => c.rongqueDone).length, rongque.length),
    crossDistrict: cases.filter((c) => c.cross).length,
    crossDistrictShare: share(cases.filter((c) => c.cross).length, cases.length),
    ratings: rated.length,
    satisfied: rated.length - bad.length,
    satisfactionRate: share(rated.length - bad.length, rated.length),
    badRatings: bad.length,
    returnVisited: bad.filter((c) => c.handled !== 'none').length,
    returnVisitRate: share(bad.filter((c) => c.handled !== 'none').length, bad.length),
    rectified: bad.filter((c) => c.handled === 'rectified').length,
    rectifiedOnTime: bad.filter((c) => c.handled === 'rectified').length,
    explained: 0,
    handledRate: share(bad.filter((c) => c.handled === 'rectified').length, bad.length),
    openRectifications: bad.filter((c) => c.handled !== 'rectified').length,
    withdrawnRatings: 0,
  };
}

describe('supervision: service-quality figures for a month of history', () => {
  let service: BootedService<SupervisionConfig>;
  let producer: Producer;
  const cases: SeededCase[] = [];

  async function publish(events: readonly TongbanEvent[]): Promise<void> {
    await producer.send({
      topic: events[0]!.type,
      acks: -1,
      messages: events.map((event) => ({ key: event.caseId, value: JSON.stringify(event) })),
    });
  }

  async function call<Body>(method: 'GET' | 'POST', path: string, actor?: Actor, body?: unknown) {
    return callService<Body>(service.baseUrl, method, path, {
      token: actor ? await service.tokenFor(actor) : undefined,
      body,
    });
  }

  beforeAll(async () => {
    service = await bootService(supervisionService, { AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS: '100000' });
    producer = await connectTestProducer();
    const random = seeded(23);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
    const workingNovemberDays = Array.from(
      { length: 30 },
      (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`,
    ).filter((day) => reference.calendar('440306').isWorkingDay(day));
    for (let i = 0; i < 60; i += 1) {
      const office = pick(OFFICES);
      const acceptedDay = pick(workingNovemberDays);
      const rongque = random() < 0.3;
      const decided = random() < 0.85;
      const level = decided ? (random() < 0.7 ? pick(LEVELS) : null) : null;
      cases.push({
        caseId: randomUUID(),
        office,
        department: pick(DEPARTMENTS),
        receipt: `${office.id}-${acceptedDay.replaceAll('-', '')}-${RUN}${String(i + 1).padStart(3, '0')}`,
        last4: String(2000 + i),
        acceptedDay,
        days: decided ? Math.floor(random() * 9) : null,
        rounds: random() < 0.25 ? 1 + Math.floor(random() * 2) : 0,
        rongque,
        rongqueDone: rongque && random() < 0.5,
        cross: random() < 0.4,
        level,
        handled: pick(['none', 'visited', 'rectified'] as const),
      });
    }
    // One case accepted in October: outside the period.
    const october = {
      ...cases[0]!,
      caseId: randomUUID(),
      receipt: `440306001-20261030-${RUN}999`,
      acceptedDay: '2026-10-30',
    };

    const submitted = [...cases, october].map((c) => {
      const base = sampleEvent('case.submitted', { caseId: c.caseId });
      return sampleEvent('case.submitted', {
        caseId: c.caseId,
        occurredAt: new Date(`${c.acceptedDay}T09:30:00+08:00`).toISOString(),
        payload: {
          receiptNumber: c.receipt,
          itemCode: ITEM,
          acceptingOfficeId: c.office.id,
          acceptingDistrict: c.office.district,
          missingMaterials: c.rongque ? ['photo'] : [],
          applicant: {
            ...base.payload.applicant,
            phone: { ...base.payload.applicant.phone, masked: `138****${c.last4}` },
          },
          submittedBy: { sub: c.office.staff, role: 'office_staff', officeId: c.office.id },
        },
      });
    });
    await publish(submitted);
    await publish(
      cases.map((c) => {
        const base = sampleEvent('case.routed', { caseId: c.caseId });
        return sampleEvent('case.routed', {
          caseId: c.caseId,
          payload: {
            case: { ...base.payload.case, receiptNumber: c.receipt, itemCode: ITEM },
            assignments: [{ departmentId: c.department, districtCode: '440306', role: 'primary' }],
            crossDistrict: c.cross,
            slaDueAt: reference
              .calendarForDepartment(c.department)
              .addWorkingDays(new Date(`${c.acceptedDay}T09:30:00+08:00`), LEGAL_DAYS)
              .toISOString(),
          },
        });
      }),
    );
    const supplements = cases.flatMap((c) =>
      Array.from({ length: c.rounds }, (_, round) =>
        sampleEvent('case.supplement-requested', {
          caseId: c.caseId,
          payload: { round: round + 1, departmentId: c.department, requestId: randomUUID() },
        }),
      ),
    );
    if (supplements.length) await publish(supplements);
    const handedIn = cases
      .filter((c) => c.rongqueDone)
      .map((c) =>
        sampleEvent('case.rongque', {
          caseId: c.caseId,
          payload: { kind: 'handed_in', officeId: c.office.id, materials: ['photo'], outstanding: [] },
        }),
      );
    if (handedIn.length) await publish(handedIn);
    await publish(
      cases
        .filter((c) => c.days !== null)
        .map((c) => {
          const base = sampleEvent('case.decided', { caseId: c.caseId });
          const at = workingDayAfter(c.acceptedDay, c.days!, c.department).toISOString();
          return sampleEvent('case.decided', {
            caseId: c.caseId,
            occurredAt: at,
            payload: {
              case: { ...base.payload.case, receiptNumber: c.receipt, itemCode: ITEM },
              resultDocument: { ...base.payload.resultDocument!, departmentId: c.department },
              departmentDecisions: [
                {
                  departmentId: c.department,
                  outcome: 'approved',
                  origin: 'reviewer',
                  decidedBy: {
                    sub: `reviewer-${c.department}`,
                    role: 'reviewer',
                    departmentId: c.department,
                  },
                  decidedAt: at,
                },
              ],
            },
          });
        }),
    );
    await expectEventually(
      async () => {
        const [row] = (await service.dataSource.query(
          `SELECT count(*)::int AS facts, count(decided_at)::int AS decided, sum(supplement_rounds)::int AS rounds,
                  count(rongque_completed_at)::int AS rongque FROM case_facts`,
        )) as { facts: number; decided: number; rounds: number; rongque: number }[];
        expect(row).toEqual({
          facts: cases.length + 1,
          decided: cases.filter((c) => c.days !== null).length,
          rounds: cases.reduce((sum, c) => sum + c.rounds, 0),
          rongque: handedIn.length,
        });
      },
      { timeoutMs: 60000 },
    );

    // The ratings, given in November, and how far each 差评's rectification went.
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(new Date('2026-11-30T03:00:00Z'));
    for (const c of cases.filter((c) => c.level !== null)) {
      const rated = await call<{ rectification: { id: string } | null }>('POST', '/ratings', undefined, {
        receipt: c.receipt,
        phoneLast4: c.last4,
        stage: 'acceptance',
        level: c.level,
      });
      expect(rated.status).toBe(201);
      const id = rated.body.rectification?.id;
      if (!id || c.handled === 'none') continue;
      const owner: Actor = { sub: c.office.staff, role: 'office_staff', officeId: c.office.id };
      expect((await call('POST', `/rectifications/${id}/return-visit`, owner, { note: '回访' })).status).toBe(
        200,
      );
      if (c.handled === 'rectified') {
        await call('POST', `/rectifications/${id}/verification`, owner, {
          verdict: 'confirmed',
          note: '属实',
        });
        expect(
          (await call('POST', `/rectifications/${id}/rectification`, owner, { note: '已整改' })).status,
        ).toBe(200);
      }
    }
    jest.restoreAllMocks();
  }, 180000);

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  const operator: Actor = { sub: 'operator', role: 'operator' };

  it('matches, per office, the figures recomputed from the published events', async () => {
    const answer = await call<{ items: unknown[] }>(
      'GET',
      '/figures?dimension=office&from=2026-11-01&to=2026-11-30',
      operator,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual(
      OFFICES.map((office) => office.id)
        .sort()
        .map((id) =>
          expectedFigures(
            id,
            cases.filter((c) => c.office.id === id),
          ),
        ),
    );
  });

  it('matches per department, staff member and district too', async () => {
    for (const [dimension, keyOf] of [
      ['department', (c: SeededCase) => c.department],
      ['district', (c: SeededCase) => c.office.district],
    ] as const) {
      const answer = await call<{
        items: {
          key: string;
          accepted: number;
          onTimeRateLegal: number | null;
          p90WorkingDays: number | null;
        }[];
      }>('GET', `/figures?dimension=${dimension}&from=2026-11-01&to=2026-11-30`, operator);
      const keys = [...new Set(cases.map(keyOf))].sort();
      expect(answer.body.items.map((f) => [f.key, f.accepted, f.onTimeRateLegal, f.p90WorkingDays])).toEqual(
        keys.map((key) => {
          const expected = expectedFigures(
            key,
            cases.filter((c) => keyOf(c) === key),
          );
          return [key, expected.accepted, expected.onTimeRateLegal, expected.p90WorkingDays];
        }),
      );
    }
    const staff = await call<{ items: { key: string; accepted: number; satisfactionRate: number | null }[] }>(
      'GET',
      '/figures?dimension=staff&from=2026-11-01&to=2026-11-30',
      operator,
    );
    expect(staff.body.items.map((f) => [f.key, f.accepted, f.satisfactionRate])).toEqual(
      OFFICES.map((o) => o.staff)
        .sort()
        .map((sub) => {
          const expected = expectedFigures(
            sub,
            cases.filter((c) => c.office.staff === sub),
          );
          return [sub, expected.accepted, expected.satisfactionRate];
        }),
    );
  });

  it('scopes the figures like the case lists: staff see their office, reviewers their department, couriers nothing', async () => {
    const xinan: Actor = { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001' };
    const own = await call<{ items: { key: string }[] }>(
      'GET',
      '/figures?dimension=office&from=2026-11-01&to=2026-11-30',
      xinan,
    );
    expect(own.body.items.map((f) => f.key)).toEqual(['440306001']);
    const reviewer: Actor = {
      sub: 'reviewer-rsj',
      role: 'reviewer',
      departmentId: '440306-rsj',
      supervisor: false,
    };
    const department = await call<{ items: { key: string; accepted: number }[] }>(
      'GET',
      '/figures?dimension=department&from=2026-11-01&to=2026-11-30',
      reviewer,
    );
    expect(department.body.items.map((f) => [f.key, f.accepted])).toEqual([
      ['440306-rsj', cases.filter((c) => c.department === '440306-rsj').length],
    ]);
    const courier: Actor = { sub: 'courier-01', role: 'courier', courierId: 'courier-01' };
    expect(
      (await call('GET', '/figures?dimension=office&from=2026-11-01&to=2026-11-30', courier)).status,
    ).toBe(403);
  });

  it('ranks the windows of the month by satisfaction, then on-time rate', async () => {
    const ranking = await call<{
      items: { key: string; rank: number; satisfactionRate: number | null; onTimeRateLegal: number | null }[];
    }>('GET', '/figures/ranking?month=2026-11', operator);
    expect(ranking.body.items).toHaveLength(OFFICES.length);
    const expected = OFFICES.map((office) =>
      expectedFigures(
        office.id,
        cases.filter((c) => c.office.id === office.id),
      ),
    ).sort(
      (a, b) =>
        (b.satisfactionRate ?? -1) - (a.satisfactionRate ?? -1) ||
        (b.onTimeRateLegal ?? -1) - (a.onTimeRateLegal ?? -1),
    );
    expect(ranking.body.items.map((w) => w.key)).toEqual(expected.map((f) => f.key));
    expect(ranking.body.items[0]?.rank).toBe(1);
  });

  it('refuses bad queries with 400 naming every field', async () => {
    const answer = await call<{ issues: { field: string }[] }>(
      'GET',
      '/figures?dimension=planet&from=2026-13-01&to=x',
      operator,
    );
    expect(answer.status).toBe(400);
    expect([...new Set(answer.body.issues.map((issue) => issue.field))].sort()).toEqual([
      'dimension',
      'from',
      'to',
    ]);
    const backwards = await call<{ issues: { field: string; reason: string }[] }>(
      'GET',
      '/figures?dimension=office&from=2026-11-30&to=2026-11-01',
      operator,
    );
    expect(backwards.body.issues).toEqual([{ field: 'to', reason: 'must not be before from' }]);
    expect((await call('GET', '/figures/ranking?month=2026-13', operator)).status).toBe(400);
  });

  it('generates the month’s report on demand as XLSX whose rows match the recomputed figures, keeps it and lists it', async () => {
    const generated = await call<{
      id: string;
      xlsx: string;
      printable: string;
      summary: { accepted: number };
    }>('POST', '/reports', operator, { kind: 'monthly', from: '2026-11-01' });
    expect(generated.status).toBe(201);
    expect(generated.body.summary.accepted).toBe(cases.length);
    const download = await fetch(`${service.baseUrl}${generated.body.xlsx}`, {
      headers: { authorization: `Bearer ${await service.tokenFor(operator)}` },
    });
    expect(download.headers.get('content-type')).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await download.arrayBuffer());
    const sheet = workbook.getWorksheet('按窗口')!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const [header, ...body] = rows.map((row) => row.slice(1));
    expect(header).toEqual(['代码', '名称', ...FIGURE_COLUMNS.map((column) => column.header)]);
    expect(body).toEqual(
      OFFICES.map((office) => office.id)
        .sort()
        .map((id) => {
          const expected = expectedFigures(
            id,
            cases.filter((c) => c.office.id === id),
          );
          return [
            id,
            reference.office(id)!.name,
            ...FIGURE_COLUMNS.map((column) => expected[column.key as keyof typeof expected]),
          ].map((value) => (value === null ? undefined : value));
        }),
    );
    const summary = workbook.getWorksheet('汇总')!.getSheetValues().filter(Boolean) as unknown[][];
    expect(summary[3]?.slice(1)).toEqual(['受理件数', cases.length]);
    // Kept for the record: the first rows of one generated report.
    const artifacts = path.join(WORKSPACE_ROOT, 'dist', 'test-artifacts', 'supervision');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(
      path.join(artifacts, 'monthly-report-first-rows.json'),
      JSON.stringify(
        { 汇总: summary.slice(0, 8).map((r) => r.slice(1)), 按窗口: rows.slice(0, 4).map((r) => r.slice(1)) },
        null,
        1,
      ),
    );

    const printable = await fetch(`${service.baseUrl}${generated.body.printable}`, {
      headers: { authorization: `Bearer ${await service.tokenFor(operator)}` },
    });
    expect(await printable.text()).toContain('政务服务质量月汇总 2026-11-01 至 2026-11-30');
    const listed = await call<{ items: { id: string; trigger: string }[] }>(
      'GET',
      '/reports?kind=monthly',
      operator,
    );
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: generated.body.id, trigger: 'demand' }),
    );
    const staff: Actor = { sub: 'staff-xinan', role: 'office_staff', officeId: '440306001' };
    expect((await call('GET', '/reports', staff)).status).toBe(403);
    const badWeek = await call<{ issues: { field: string; reason: string }[] }>(
      'POST',
      '/reports',
      operator,
      {
        kind: 'weekly',
        from: '2026-11-24',
      },
    );
    expect(badWeek.status).toBe(400);
    expect(badWeek.body.issues).toEqual([
      { field: 'from', reason: 'must start the period: a weekly report starts on a Monday' },
    ]);
  });

  it('makes the scheduled reports of the last day, week and month once, however many rounds run at once', async () => {
    jest.spyOn(service.app.get(Clock), 'now').mockReturnValue(new Date('2026-12-01T02:00:00Z'));
    const reports = service.app.get(ReportService);
    const rounds = await Promise.all([reports.runSchedule(), reports.runSchedule(), reports.runSchedule()]);
    // A round that finds the lock taken skips that period until its next poll: one more round completes them.
    const made = [...rounds.flat(), ...(await reports.runSchedule())];
    expect(made.map((r) => [r.kind, r.period_from, r.period_to]).sort()).toEqual([
      ['daily', '2026-11-30', '2026-11-30'],
      ['monthly', '2026-11-01', '2026-11-30'],
      ['weekly', '2026-11-23', '2026-11-29'],
    ]);
    expect(await reports.runSchedule()).toEqual([]);
    const monthly = made.find((r) => r.kind === 'monthly')!;
    const all = expectedFigures('all', cases);
    expect(monthly.summary).toEqual(all);
    const [row] = (await service.dataSource.query(
      `SELECT count(*)::int AS n FROM reports WHERE trigger = 'schedule'`,
    )) as { n: number }[];
    expect(row?.n).toBe(3);
  });
});
