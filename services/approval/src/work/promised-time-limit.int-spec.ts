import { loadReferenceData } from '@tongban/reference-data';
import { Clock } from '@tongban/runtime';
import { type BootedService, bootService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import { approvalService } from '../approval.service-definition';
import type { ApprovalConfig } from '../config/approval-config';
import { personCase, routedEvent } from '../testing/routed-events';

const RSJ = 'reviewer-rsj'; // 宝安区人社局, 440306-rsj

/** 承诺时限 on the reviewer's work item, through approval's HTTP API on the real stack. */
describe('approval: the promised time limit (承诺时限) beside the legal one', () => {
  let service: BootedService<ApprovalConfig>;
  let producer: Producer;
  let token: string;

  beforeAll(async () => {
    service = await bootService(approvalService);
    token = await service.tokenFor(RSJ);
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
});
