import { loadReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import { approvalService } from '../approval.service-definition';
import type { ApprovalConfig } from '../config/approval-config';
import { personCase, routedEvent } from '../testing/routed-events';

const RSJ = 'reviewer-rsj'; // 宝安区人社局, 440306-rsj
// 公司设立 (SJ-NZGS-002) accepted in 罗湖: 市场监管 decides, 税务 and 公安 in parallel (N证联办).
const PARALLEL_USERS = ['reviewer-scjg', 'reviewer-sw', 'reviewer-ga'];

/** Field procedures on approval's HTTP API on the real stack: 承诺时限, N证联办 with the shipped users. */
describe('approval: field procedures', () => {
  let service: BootedService<ApprovalConfig>;
  let producer: Producer;
  let token: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    service = await bootService(approvalService);
    token = await service.tokenFor(RSJ);
    for (const user of PARALLEL_USERS) tokens[user] = await service.tokenFor(user);
    producer = await connectTestProducer();
  }, 90000);

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  it('shows the promised due time (7 working days for 社保卡) and marks the promise broken before the legal limit', async () => {
    const accepted = new Date();
    const day = new Date(accepted.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
    const event = routedEvent({
      case: personCase({ itemCode: 'RS-SBKSL-003', receiptNumber: `440306001-${day}-0042` }),
      timeLimitDays: 15,
    });
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
    const id = await expectEventually(
      async () => {
        const rows = (await service.dataSource.query(`SELECT id FROM work_items WHERE case_id = $1`, [
          event.caseId,
        ])) as { id: string }[];
        expect(rows).toHaveLength(1);
        return rows[0]!.id;
      },
      { timeoutMs: 20000 },
    );
    const view = async () => {
      const answer = await fetch(`${service.baseUrl}/work-items/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(200);
      return (await answer.json()) as {
        dueAt: string;
        promisedDueAt: string;
        clock: Record<string, boolean>;
      };
    };
    const calendar = loadReferenceData().calendarForDepartment('440306-rsj');
    const promised = calendar.addWorkingDays(accepted, 7);
    const fresh = await view();
    expect(fresh.promisedDueAt).toBe(promised.toISOString());
    expect(Date.parse(fresh.promisedDueAt)).toBeLessThan(Date.parse(fresh.dueAt));
    expect(fresh.clock).toMatchObject({ promiseBroken: false, overdue: false });

    jest.spyOn(service.app.get(Clock), 'now').mockImplementation(() => new Date(promised.getTime() + 60_000));
    expect((await view()).clock).toMatchObject({ promiseBroken: true, overdue: false });
  });

  it('N证联办: the seeded reviewers of 市场监管, 税务 and 公安 decide a 公司设立 case together', async () => {
    const event = routedEvent({
      case: personCase({
        itemCode: 'SJ-NZGS-002',
        acceptingOfficeId: '440303001',
        acceptingDistrict: '440303',
      }),
      departments: ['440303-scjg', '440303-sw', '440303-ga'],
      timeLimitDays: 15,
    });
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
    const items = await expectEventually(
      async () => {
        const rows = (await service.dataSource.query(
          `SELECT id, department_id FROM work_items WHERE case_id = $1 ORDER BY role DESC, department_id`,
          [event.caseId],
        )) as { id: string; department_id: string }[];
        expect(rows).toHaveLength(3);
        return rows;
      },
      { timeoutMs: 20000 },
    );
    const byDepartment = new Map(items.map((row) => [row.department_id, row.id]));
    const decide = async (user: string, departmentId: string) => {
      const id = byDepartment.get(departmentId)!;
      const headers = { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' };
      expect(
        (await fetch(`${service.baseUrl}/work-items/${id}/claim`, { method: 'POST', headers })).status,
      ).toBe(200);
      const answer = await fetch(`${service.baseUrl}/work-items/${id}/approve`, {
        method: 'POST',
        headers,
        body: '{}',
      });
      expect(answer.status).toBe(200);
      return (await answer.json()) as { caseOutcome: string };
    };
    expect(await decide('reviewer-sw', '440303-sw')).toMatchObject({ caseOutcome: 'pending' });
    expect(await decide('reviewer-ga', '440303-ga')).toMatchObject({ caseOutcome: 'pending' });
    expect(await decide('reviewer-scjg', '440303-scjg')).toMatchObject({ caseOutcome: 'approved' });
    const [row] = (await service.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND topic = 'case.decided'`,
      [event.caseId],
    )) as { n: number }[];
    expect(row!.n).toBe(1);
  });

  it('帮办代办: the reviewer sees the agent who brought the case, by masks only', async () => {
    const v1 = personCase();
    const sealed = (masked: string) => ({ ciphertext: 'v1.k1.c2VhbGVk', masked });
    const protectedValue = (masked: string) => ({
      ciphertext: 'v1.k1.cHJvdGVjdGVk',
      hash: 'agent-hash',
      masked,
    });
    const event = routedEvent({
      case: {
        ...v1,
        applicant: {
          kind: 'person',
          name: sealed('测****'),
          idNumber: protectedValue('440306********002X'),
          phone: protectedValue('138****0000'),
          householdDistrict: '440306',
          ageBand: '18-59',
        },
        delivery: { method: 'pickup', officeId: '440306001' },
        assistance: {
          mode: 'agent',
          agentName: sealed('李*'),
          relation: '配偶',
          agentIdNumber: protectedValue('440303********0012'),
          agentPhone: protectedValue('139****0001'),
        },
      },
    });
    expect(event.version).toBe(2);
    await producer.send({
      topic: event.type,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify(event) }],
    });
    const id = await expectEventually(
      async () => {
        const rows = (await service.dataSource.query(`SELECT id FROM work_items WHERE case_id = $1`, [
          event.caseId,
        ])) as { id: string }[];
        expect(rows).toHaveLength(1);
        return rows[0]!.id;
      },
      { timeoutMs: 20000 },
    );
    const answer = await fetch(`${service.baseUrl}/work-items/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { case: { assistance: unknown } };
    expect(body.case.assistance).toEqual({
      mode: 'agent',
      agentName: '李*',
      relation: '配偶',
      agentIdNumber: '440303********0012',
      agentPhone: '139****0001',
    });
    expect(JSON.stringify(body)).not.toMatch(/agent-hash|v1\.k1\./);
  });
});
