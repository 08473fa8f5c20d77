import { randomUUID } from 'node:crypto';
import { type EventOf, parseEventOf, TOPICS } from '@tongban/contracts';
import { loadReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService, callService, scrapeMetric } from '@tongban/service-testing';
import {
  connectTestProducer,
  expectEventually,
  recordTopics,
  sampleEvent,
  type TopicRecorder,
} from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { RoutingConfig } from '../config/routing-config';
import { routingService } from '../routing.service-definition';

const BAOAN_OFFICE = '440306001';

/** A case accepted at a 宝安 window for a resident whose household is in `district`. */
function submitted(itemCode: string, district = '440303') {
  const base = sampleEvent(TOPICS.caseSubmitted);
  const applicant = base.payload.applicant;
  if (applicant.kind !== 'person') throw new Error('the fixture applicant is a person');
  return sampleEvent(TOPICS.caseSubmitted, {
    payload: {
      itemCode,
      acceptingOfficeId: BAOAN_OFFICE,
      acceptingDistrict: '440306',
      applicant: { ...applicant, householdDistrict: district },
    },
  });
}

describe('routing', () => {
  let service: BootedService<RoutingConfig>;
  let producer: Producer;
  let recorder: TopicRecorder;
  let operator: string;
  let admin: string;

  const api = <Body = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    init: { token?: string; body?: unknown } = {},
    on: BootedService<RoutingConfig> = service,
  ) => callService<Body>(on.baseUrl, method, path, init);

  async function publish(...events: EventOf<'case.submitted' | 'case.decided'>[]) {
    await producer.send({
      topic: events[0]!.type,
      acks: -1,
      messages: events.map((event) => ({ key: event.caseId, value: JSON.stringify(event) })),
    });
  }

  function eventsOf<Type extends 'case.routed' | 'case.unroutable'>(
    type: Type,
    caseId: string,
  ): EventOf<Type>[] {
    return recorder.messages
      .filter((message) => message.topic === type && message.key === caseId)
      .map((message) => parseEventOf(type, JSON.parse(message.value)));
  }

  const eventually = <T>(type: 'case.routed' | 'case.unroutable', caseId: string, count = 1) =>
    expectEventually(
      () => {
        const found = eventsOf(type, caseId);
        expect(found).toHaveLength(count);
        return found as T[];
      },
      { timeoutMs: 30000 },
    );

  beforeAll(async () => {
    [service, producer, recorder] = await Promise.all([
      bootService(routingService),
      connectTestProducer(),
      recordTopics([TOPICS.caseRouted, TOPICS.caseUnroutable]),
    ]);
    [operator, admin] = await Promise.all([service.tokenFor('operator'), service.tokenFor('admin')]);
  }, 60000);

  afterAll(async () => {
    await Promise.all([producer?.disconnect(), recorder?.stop()]);
    await service?.close();
  });

  describe('a case accepted in 宝安 for a 罗湖 resident', () => {
    const event = submitted('RS-JYCYZ-004');
    let routed: EventOf<'case.routed'>;

    beforeAll(async () => {
      await publish(event);
      [routed] = await eventually<EventOf<'case.routed'>>('case.routed', event.caseId);
    });

    it('goes to the 罗湖 department, cross-district, by rule version 1, due on 罗湖’s working days', () => {
      const expectedDue = loadReferenceData()
        .calendarForDepartment('440303-rsj')
        .addWorkingDays(new Date(event.occurredAt), 5);
      expect(routed.payload).toMatchObject({
        assignments: [{ departmentId: '440303-rsj', districtCode: '440303', role: 'primary' }],
        crossDistrict: true,
        basis: 'household_district',
        rule: { ruleId: 'RS-JYCYZ-004', version: 1 },
        timeLimitDays: 5,
        slaDueAt: expectedDue.toISOString(),
        routedBy: { role: 'system' },
        case: { receiptNumber: event.payload.receiptNumber, itemCode: 'RS-JYCYZ-004' },
      });
      expect(routed.payload.supersedesRoutingId).toBeUndefined();
    });

    it('can be explained afterwards: inputs, rule version and steps', async () => {
      const { status, body } = await api<{ decisions: Record<string, unknown>[] }>(
        'GET',
        `/routing/cases/${event.caseId}`,
        { token: operator },
      );
      expect(status).toBe(200);
      expect(body.decisions).toEqual([
        expect.objectContaining({
          routingId: routed.payload.routingId,
          origin: 'rules',
          ruleId: 'RS-JYCYZ-004',
          ruleVersion: 1,
          explanation: expect.objectContaining({
            inputs: expect.objectContaining({ officeDistrict: '440306', householdDistrict: '440303' }),
            steps: expect.arrayContaining([expect.stringContaining('household district is 440303')]),
          }),
        }),
      ]);
    });

    it('counts the routing by department, district and cross-district flag', async () => {
      const labels = {
        department: '440303-rsj',
        district: '440303',
        cross_district: 'true',
        origin: 'rules',
      };
      expect(
        await scrapeMetric(service.metricsUrl, 'tongban_cases_routed_total', labels),
      ).toBeGreaterThanOrEqual(1);
      expect(
        await scrapeMetric(service.metricsUrl, 'tongban_routing_latency_seconds_count'),
      ).toBeGreaterThanOrEqual(1);
    });

    it('is re-routed only from its current routing, with a reason, superseding it', async () => {
      const path = `/routing/cases/${event.caseId}/reroute`;
      const stale = await api('POST', path, {
        token: operator,
        body: {
          supersedesRoutingId: randomUUID(),
          departmentId: '440306-rsj',
          reason: '申请人户籍已迁入宝安',
        },
      });
      expect(stale.status).toBe(409);
      const staff = await service.tokenFor('staff-xinan');
      const forbidden = await api('POST', path, {
        token: staff,
        body: { supersedesRoutingId: routed.payload.routingId, departmentId: '440306-rsj', reason: 'x' },
      });
      expect(forbidden.status).toBe(403);

      const { status, body } = await api('POST', path, {
        token: operator,
        body: {
          supersedesRoutingId: routed.payload.routingId,
          departmentId: '440306-rsj',
          reason: '申请人户籍已迁入宝安',
        },
      });
      expect(status).toBe(200);
      const [, again] = await eventually<EventOf<'case.routed'>>('case.routed', event.caseId, 2);
      expect(again!.payload).toMatchObject({
        routingId: body['routingId'],
        supersedesRoutingId: routed.payload.routingId,
        assignments: [{ departmentId: '440306-rsj', role: 'primary' }],
        crossDistrict: false,
        basis: 'manual',
        reason: '申请人户籍已迁入宝安',
        routedBy: { role: 'operator', sub: 'operator' },
      });
      expect(again!.payload.rule).toBeUndefined();
    });

    it('can no longer be re-routed once decided', async () => {
      const history = await api<{ currentRoutingId: string }>('GET', `/routing/cases/${event.caseId}`, {
        token: operator,
      });
      await publish(sampleEvent(TOPICS.caseDecided, { caseId: event.caseId }));
      await expectEventually(async () => {
        const { status } = await api('POST', `/routing/cases/${event.caseId}/reroute`, {
          token: operator,
          body: { supersedesRoutingId: history.body.currentRoutingId, reason: '再次改派' },
        });
        expect(status).toBe(409);
      });
    });
  });

  describe('an item no rule routes', () => {
    const event = submitted('XX-UNKNOWN-001');

    beforeAll(async () => {
      await publish(event);
      await eventually('case.unroutable', event.caseId);
    });

    it('emits case.unroutable with the reason and waits in the triage queue', async () => {
      expect(eventsOf('case.unroutable', event.caseId)[0]!.payload).toMatchObject({
        itemCode: 'XX-UNKNOWN-001',
        reason: 'unknown_item',
      });
      const { body } = await api<{ items: { caseId: string; reason: string }[] }>(
        'GET',
        '/triage?limit=200',
        {
          token: operator,
        },
      );
      expect(body.items).toContainEqual(
        expect.objectContaining({ caseId: event.caseId, reason: 'unknown_item' }),
      );
      expect(await scrapeMetric(service.metricsUrl, 'tongban_routing_triage_open')).toBeGreaterThanOrEqual(1);
    });

    it('refuses a bad assignment with the field and reason, and changes nothing', async () => {
      const { status, body } = await api<{ issues: { field: string; reason: string }[] }>(
        'POST',
        `/triage/${event.caseId}/assign`,
        { token: operator, body: { departmentId: '440303-nope', reason: '人工分拨' } },
      );
      expect(status).toBe(400);
      expect(body.issues).toEqual([{ field: 'departmentId', reason: 'no department 440303-nope' }]);
      const missingReason = await api<{ issues: { field: string }[] }>(
        'POST',
        `/triage/${event.caseId}/assign`,
        {
          token: operator,
          body: { departmentId: '440303-rsj' },
        },
      );
      expect(missingReason.body.issues.map((issue) => issue.field)).toEqual(['reason']);
      expect(eventsOf('case.routed', event.caseId)).toHaveLength(0);
    });

    it('is released by a manual assignment, recorded with the operator, once', async () => {
      const path = `/triage/${event.caseId}/assign`;
      const body = {
        departmentId: '440303-rsj',
        parallelDepartmentIds: ['440303-mz'],
        reason: '事项目录待更新, 人工分拨',
      };
      const withoutLimit = await api<{ issues: { field: string }[] }>('POST', path, {
        token: operator,
        body,
      });
      expect(withoutLimit.body.issues.map((issue) => issue.field)).toEqual(['timeLimitDays']);
      const assigned = await api('POST', path, { token: operator, body: { ...body, timeLimitDays: 15 } });
      expect(assigned.status).toBe(200);
      const [routed] = await eventually<EventOf<'case.routed'>>('case.routed', event.caseId);
      expect(routed!.payload).toMatchObject({
        basis: 'manual',
        assignments: [
          { departmentId: '440303-rsj', role: 'primary' },
          { departmentId: '440303-mz', role: 'parallel' },
        ],
        routedBy: { sub: 'operator', role: 'operator' },
        reason: '事项目录待更新, 人工分拨',
        timeLimitDays: 15,
      });
      expect(
        (await api('POST', path, { token: operator, body: { ...body, timeLimitDays: 15 } })).status,
      ).toBe(409);
      const queue = await api<{ items: { caseId: string }[] }>('GET', '/triage?limit=200', {
        token: operator,
      });
      expect(queue.body.items.map((item) => item.caseId)).not.toContain(event.caseId);
      const [audit] = (await service.dataSource.query(
        `SELECT actor_sub, action, result FROM audit_log WHERE object_id = $1`,
        [event.caseId],
      )) as { actor_sub: string; action: string; result: string }[];
      expect(audit).toEqual({
        actor_sub: 'operator',
        action: 'routing.assign-from-triage',
        result: 'succeeded',
      });
    });
  });

  describe('the rules API', () => {
    it('lists the rules in force and a rule’s history', async () => {
      const list = await api<{ rules: { ruleId: string; inForce: { version: number } | null }[] }>(
        'GET',
        '/rules?itemCode=YB-MTBZ-004',
        { token: operator },
      );
      expect(list.body.rules.map((rule) => [rule.ruleId, rule.inForce?.version])).toEqual([
        ['YB-MTBZ-004', 1],
        ['YB-MTBZ-004@4403', 1],
      ]);
      const history = await api<{ versions: Record<string, unknown>[] }>(
        'GET',
        `/rules/${encodeURIComponent('YB-MTBZ-004@4403')}`,
        { token: operator },
      );
      expect(history.body.versions).toEqual([
        expect.objectContaining({
          version: 1,
          departmentId: '4403-ybj',
          createdBy: { sub: 'system:rule-seed', role: 'system' },
        }),
      ]);
      expect((await api('GET', '/rules/NOPE-001', { token: operator })).status).toBe(404);
    });

    it('lets only an admin add a version, validated against the reference data', async () => {
      const version = {
        itemCode: 'MZ-GLJT-001',
        basis: 'accepting_office',
        departmentType: 'mz',
        note: '改为受理地管辖',
      };
      expect((await api('POST', '/rules/versions', { token: operator, body: version })).status).toBe(403);
      const bad = await api<{ issues: { field: string }[] }>('POST', '/rules/versions', {
        token: admin,
        body: { ...version, departmentId: '440303-nope', parallelDepartmentTypes: ['mz'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.issues.map((issue) => issue.field).sort()).toEqual([
        'departmentId',
        'parallelDepartmentTypes.0',
      ]);
      const past = await api<{ issues: { field: string }[] }>('POST', '/rules/versions', {
        token: admin,
        body: { ...version, effectiveFrom: '2026-01-01T00:00:00+08:00' },
      });
      expect(past.body.issues).toEqual([{ field: 'effectiveFrom', reason: expect.stringContaining('past') }]);
      const history = await api<{ versions: unknown[] }>('GET', '/rules/MZ-GLJT-001', { token: admin });
      expect(history.body.versions).toHaveLength(1);
    });

    it('closes the open version at the new one’s start and refuses an overlapping window', async () => {
      const start = new Date(Date.now() + 3_600_000).toISOString();
      const added = await api('POST', '/rules/versions', {
        token: admin,
        body: {
          itemCode: 'MZ-GLJT-001',
          basis: 'accepting_office',
          departmentType: 'mz',
          effectiveFrom: start,
          note: '下月起改为受理地管辖',
        },
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ ruleId: 'MZ-GLJT-001', version: 2, effectiveTo: null });
      const overlapping = await api<{ issues: { field: string }[]; conflictingVersion: number }>(
        'POST',
        '/rules/versions',
        {
          token: admin,
          body: {
            itemCode: 'MZ-GLJT-001',
            basis: 'household_district',
            departmentType: 'mz',
            effectiveFrom: new Date(Date.now() + 1_800_000).toISOString(),
            note: '冲突',
          },
        },
      );
      expect(overlapping.status).toBe(409);
      expect(overlapping.body.issues[0]!.field).toBe('effectiveFrom');
      const { body } = await api<{
        versions: { version: number; effectiveTo: string | null; closedByVersion: number | null }[];
      }>('GET', '/rules/MZ-GLJT-001', { token: admin });
      expect(
        body.versions.map((v) => [
          v.version,
          v.effectiveTo && new Date(v.effectiveTo).toISOString(),
          v.closedByVersion,
        ]),
      ).toEqual([
        [1, start, 2],
        [2, null, null],
      ]);
    });

    it('answers a dry run with the decision and its explanation, storing nothing', async () => {
      const staff = await service.tokenFor('staff-xinan');
      const { status, body } = await api('POST', '/routing/dry-run', {
        token: staff,
        body: {
          itemCode: 'SJ-SPJY-003',
          officeId: BAOAN_OFFICE,
          applicant: { kind: 'company', registeredDistrict: '440303' },
        },
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        outcome: 'routed',
        crossDistrict: true,
        assignments: [
          { departmentId: '440303-scjg', role: 'primary' },
          { departmentId: '440303-wjj', role: 'parallel' },
        ],
      });
      const bad = await api<{ issues: { field: string }[] }>('POST', '/routing/dry-run', {
        token: staff,
        body: {
          itemCode: 'SJ-SPJY-003',
          officeId: BAOAN_OFFICE,
          applicant: { kind: 'company', registeredDistrict: '4403' },
        },
      });
      expect(bad.body.issues.map((issue) => issue.field)).toEqual(['applicant.registeredDistrict']);
    });

    it('reads the time from the injected Clock: a dry run without acceptedAt counts the deadline from it', async () => {
      const instant = new Date('2027-03-01T02:00:00.000Z'); // Monday, 10:00 in Shenzhen
      const clock = jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => new Date(instant));
      try {
        const { status, body } = await api<{ timeLimitDays: number; slaDueAt: string }>(
          'POST',
          '/routing/dry-run',
          {
            token: await service.tokenFor('staff-xinan'),
            body: {
              itemCode: 'SJ-SPJY-003',
              officeId: BAOAN_OFFICE,
              applicant: { kind: 'company', registeredDistrict: '440303' },
            },
          },
        );
        expect(status).toBe(200);
        const expected = loadReferenceData()
          .calendarForDepartment('440303-scjg')
          .addWorkingDays(instant, body.timeLimitDays);
        expect(body.slaDueAt).toBe(expected.toISOString());
      } finally {
        clock.mockRestore();
      }
    });

    it('routes a case accepted in a year calendars.json does not ship on Monday-Friday, counting it', async () => {
      const staff = await service.tokenFor('staff-xinan');
      const fallbacks = () =>
        scrapeMetric(service.metricsUrl, 'tongban_calendar_fallback_days_total', { year: '2031' });
      const before = await fallbacks();
      const { status, body } = await api<{ outcome: string; slaDueAt: string }>('POST', '/routing/dry-run', {
        token: staff,
        body: {
          itemCode: 'SJ-SPJY-003',
          officeId: BAOAN_OFFICE,
          applicant: { kind: 'company', registeredDistrict: '440303' },
          // Thursday 2 January 2031: no holiday data, so Friday 3 and Monday 6 are working days.
          acceptedAt: '2031-01-02T10:00:00+08:00',
        },
      });
      expect(status).toBe(200);
      expect(body.outcome).toBe('routed');
      expect(new Date(body.slaDueAt).getTime()).toBeGreaterThan(Date.parse('2031-01-02T10:00:00+08:00'));
      expect(await fallbacks()).toBeGreaterThan(before);
    });
  });

  describe('a rule change on several instances', () => {
    let second: BootedService<RoutingConfig>;
    let withoutRedis: BootedService<RoutingConfig>;

    beforeAll(async () => {
      const shared = { KAFKA_GROUP_ID: service.config.KAFKA_GROUP_ID };
      second = await bootService(routingService, shared, { database: service.database });
      // An instance whose Redis is unreachable: it must still route with current rules.
      withoutRedis = await bootService(
        routingService,
        { ...shared, REDIS_URL: 'redis://127.0.0.1:1' },
        { database: service.database },
      );
    }, 60000);

    afterAll(async () => {
      await Promise.all([second?.close(), withoutRedis?.close()]);
    });

    it('takes effect for new cases on every instance without a restart', async () => {
      const dryRun = (on: BootedService<RoutingConfig>) =>
        api<{ assignments: { departmentId: string }[]; rule: { version: number } }>(
          'POST',
          '/routing/dry-run',
          {
            token: operator,
            body: {
              itemCode: 'WJ-YSZC-003',
              officeId: BAOAN_OFFICE,
              applicant: { kind: 'person', householdDistrict: '440306' },
            },
          },
          on,
        );
      expect((await dryRun(second)).body.assignments[0]!.departmentId).toBe('440306-wjj');

      const change = await api('POST', '/rules/versions', {
        token: admin,
        body: {
          itemCode: 'WJ-YSZC-003',
          basis: 'fixed_department',
          departmentType: 'wjj',
          departmentId: '440303-wjj',
          note: '宝安卫健窗口装修期间由罗湖代办',
        },
      });
      expect(change.status).toBe(201);

      await expectEventually(async () =>
        expect(
          await scrapeMetric(second.metricsUrl, 'tongban_routing_rule_reloads_total', { trigger: 'notice' }),
        ).toBeGreaterThanOrEqual(1),
      );
      for (const instance of [service, second, withoutRedis]) {
        expect((await dryRun(instance)).body).toMatchObject({
          assignments: [{ departmentId: '440303-wjj' }],
          rule: { version: 2 },
        });
      }

      const cases = Array.from({ length: 30 }, () => submitted('WJ-YSZC-003', '440306'));
      await publish(...cases);
      await expectEventually(
        () => {
          const routed = cases.flatMap((event) => eventsOf('case.routed', event.caseId));
          expect(routed).toHaveLength(cases.length);
          for (const event of routed) {
            expect(event.payload).toMatchObject({
              assignments: [{ departmentId: '440303-wjj' }],
              rule: { ruleId: 'WJ-YSZC-003', version: 2 },
            });
          }
        },
        { timeoutMs: 60000 },
      );
      const byInstance = await Promise.all(
        [service, second, withoutRedis].map((instance) =>
          scrapeMetric(instance.metricsUrl, 'tongban_cases_routed_total', { department: '440303-wjj' }),
        ),
      );
      expect(byInstance.reduce((a, b) => a + b, 0)).toBe(cases.length);
    });
  });
});
