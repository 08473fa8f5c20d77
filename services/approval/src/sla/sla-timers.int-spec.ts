import { parseEventOf, TOPICS, type EventOf, type TongbanEvent } from '@tongban/contracts';
import { type BootedService, bootService } from '@tongban/service-testing';
import {
  connectTestProducer,
  createTestDatabase,
  expectEventually,
  recordTopics,
  testEnvironment,
  type TestDatabase,
  type TopicRecorder,
} from '@tongban/testing';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { approvalService } from '../approval.service-definition';
import type { ApprovalConfig } from '../config/approval-config';
import { personCase, routedEvent, supplementedEvent } from '../testing/routed-events';

/**
 * The SLA clock on the compressed test clock (SLA_TEST_SECONDS_PER_DAY): one working day
 * of 8 working hours lasts 3 s and runs continuously, so a 3-day limit is due 9 s after routing,
 * the 80 % warning comes at 7.2 s and the escalation 8 working hours (3 s) after the deadline.
 * The clock logic is the production one; the calendar arithmetic has its own unit spec.
 */
const CLOCK = {
  SLA_TEST_SECONDS_PER_DAY: '3',
  SLA_ESCALATION_WORKING_HOURS: '8',
  SLA_WARNING_SHARE: '0.8',
  SLA_TIMER_POLL_MS: '200',
};

describe('approval: SLA timers across a restart and two instances', () => {
  const env = testEnvironment();
  let database: TestDatabase;
  const instances: BootedService<ApprovalConfig>[] = [];
  let recorder: TopicRecorder;
  let producer: Producer;

  const boot = async () => {
    const service = await bootService(approvalService, CLOCK, { database });
    instances.push(service);
    return service;
  };

  async function publish(event: TongbanEvent): Promise<void> {
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
  }

  function slaEvents(caseId: string): EventOf<'case.sla'>[] {
    return recorder.messages
      .filter((message) => message.topic === TOPICS.caseSla && message.key === caseId)
      .map((message) => parseEventOf('case.sla', JSON.parse(message.value)));
  }

  const kinds = (caseId: string) => slaEvents(caseId).map((event) => event.payload.kind);

  beforeAll(async () => {
    database = await createTestDatabase(env.postgresUrl, 'approval_sla');
    recorder = await recordTopics([TOPICS.caseSla]);
    producer = await connectTestProducer();
  }, 60000);

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    for (const service of instances) await service.close().catch(() => undefined);
    await database?.drop();
  });

  it('fires warning, overdue and escalation once each, though the service restarts and two instances poll', async () => {
    const first = await boot();
    const call = async (path: string, user: string, body: unknown = {}) => {
      const response = await fetch(`${first.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await first.tokenFor(user)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    // Case A runs its clock; case B is paused by a supplement request right after routing.
    const a = routedEvent({ timeLimitDays: 3 });
    const b = routedEvent({
      timeLimitDays: 3,
      case: personCase({ missingMaterials: ['photo'], materials: [{ code: 'id_card', name: '居民身份证' }] }),
    });
    await publish(a);
    await publish(b);
    const itemB = await expectEventually(async () => {
      const [row] = (await first.dataSource.query(`SELECT id FROM work_items WHERE case_id = $1`, [
        b.caseId,
      ])) as {
        id: string;
      }[];
      expect(row).toBeDefined();
      return row!.id;
    });
    expect((await call(`/work-items/${itemB}/claim`, 'reviewer-rsj')).status).toBe(200);
    const request = await call(`/work-items/${itemB}/supplement-requests`, 'reviewer-rsj', {
      items: [{ materialCode: 'photo', reason: '缺少照片' }],
    });
    expect(request.status).toBe(201);

    // The warning of A fires on the first instance, which then stops.
    await expectEventually(() => expect(kinds(a.caseId)).toEqual(['warning']), { timeoutMs: 30000 });
    await first.close();
    const closedAt = new Date();

    // While no instance runs, A's remaining timers come due; they wait in Postgres.
    await expectEventually(async () => expect(await unfiredNotDue(a.caseId)).toBe(0), {
      timeoutMs: 30000,
      intervalMs: 250,
    });

    // Two instances start on the same database and race for the due timers.
    const [second, third] = await Promise.all([boot(), boot()]);
    await expectEventually(() => expect(kinds(a.caseId)).toEqual(['warning', 'overdue', 'escalated']), {
      timeoutMs: 30000,
    });
    const [warning, overdue, escalated] = slaEvents(a.caseId);
    expect(warning!.payload).toMatchObject({ departmentId: '440306-rsj' });
    expect(warning!.payload.usedShare).toBeGreaterThanOrEqual(0.8);
    expect(overdue!.payload.usedShare).toBeGreaterThanOrEqual(1);
    expect(escalated!.payload).toMatchObject({ kind: 'escalated', escalatedToRole: 'supervisor' });

    // Once each in the database too, and every timer of A is spent.
    const outbox = (await second.dataSource.query(
      `SELECT payload->'payload'->>'kind' AS kind, count(*)::int AS n FROM outbox
        WHERE message_key = $1 AND topic = 'case.sla' GROUP BY 1 ORDER BY 1`,
      [a.caseId],
    )) as { kind: string; n: number }[];
    expect(outbox).toEqual([
      { kind: 'escalated', n: 1 },
      { kind: 'overdue', n: 1 },
      { kind: 'warning', n: 1 },
    ]);
    const timers = (await second.dataSource.query(
      `SELECT kind, state, fired_at FROM sla_timers WHERE case_id = $1 ORDER BY kind`,
      [a.caseId],
    )) as { kind: string; state: string; fired_at: Date }[];
    expect(timers.map(({ kind, state }) => ({ kind, state }))).toEqual([
      { kind: 'escalated', state: 'fired' },
      { kind: 'overdue', state: 'fired' },
      { kind: 'warning', state: 'fired' },
    ]);
    // The escalation was due while the service was down and fired after the restart.
    expect(timers[0]!.fired_at.getTime()).toBeGreaterThanOrEqual(closedAt.getTime());
    // The supervisor finds the escalated item with the escalated filter.
    const escalatedQueue = await fetch(`${third.baseUrl}/work-items?escalated=true&limit=100`, {
      headers: { authorization: `Bearer ${await third.tokenFor('reviewer-rsj-supervisor')}` },
    });
    const queue = (await escalatedQueue.json()) as {
      items: { caseId: string; clock: { overdue: boolean } }[];
    };
    expect(queue.items.find((entry) => entry.caseId === a.caseId)?.clock.overdue).toBe(true);

    // B was paused all along: it used far less than 80 % and had no warning.
    expect(kinds(b.caseId)).toEqual(['paused']);
    // The applicant answers; B's clock resumes and its warning comes after the remaining time.
    await publish(
      supplementedEvent(
        b.caseId,
        { requestId: request.body['requestId'] as string, departmentId: '440306-rsj', round: 1 },
        [{ code: 'photo', name: '近期免冠照片' }],
      ),
    );
    await expectEventually(() => expect(kinds(b.caseId)).toEqual(['paused', 'resumed', 'warning']), {
      timeoutMs: 30000,
    });
    const [paused, resumed] = slaEvents(b.caseId);
    expect(Date.parse(resumed!.payload.dueAt)).toBeGreaterThan(Date.parse(paused!.payload.dueAt));
  }, 180000);

  /** How many of the case's timers are neither fired nor due yet. */
  async function unfiredNotDue(caseId: string): Promise<number> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query(
        `SELECT count(*)::int AS n FROM sla_timers WHERE case_id = $1 AND state = 'pending' AND fire_at > now()`,
        [caseId],
      );
      return (result.rows[0] as { n: number }).n;
    } finally {
      await client.end();
    }
  }
});
