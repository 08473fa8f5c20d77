import { TOPICS } from '@tongban/contracts';
import { type BootedService, bootService } from '@tongban/service-testing';
import { connectTestProducer, expectEventually, sampleEvent } from '@tongban/testing';
import type { Producer } from 'kafkajs';
import type { RoutingConfig } from './config/routing-config';
import { routingService } from './routing.service-definition';

interface Listing {
  deadLetters: { key: string | null; partition: number; offset: string; info?: { errorClass: string } }[];
}

describe('the operators’ dead-letter endpoint', () => {
  let service: BootedService<RoutingConfig>;
  let producer: Producer;
  let operator: string;

  function call(path: string, init: { token?: string; body?: unknown } = {}) {
    return fetch(`${service.baseUrl}${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  beforeAll(async () => {
    service = await bootService(routingService);
    producer = await connectTestProducer();
    operator = await service.tokenFor('operator');
  }, 60000);

  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  it('answers 401 without a token and 403 to a role other than operator or admin', async () => {
    expect((await call('/ops/dead-letters?topic=case.submitted')).status).toBe(401);
    const staff = await service.tokenFor('staff-xinan');
    expect((await call('/ops/dead-letters?topic=case.submitted', { token: staff })).status).toBe(403);
  });

  it('names the field and the reason of a bad request', async () => {
    const response = await call('/ops/dead-letters?topic=case.lost&limit=0', { token: operator });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { field: string; reason: string }[] };
    expect(body.issues.map((issue) => issue.field).sort()).toEqual(['limit', 'topic']);
    const replay = await call('/ops/dead-letters/replay', {
      token: operator,
      body: { topic: 'case.submitted' },
    });
    expect(replay.status).toBe(400);
  });

  it('lists a dead-lettered event and replays it, recording the operator in the audit log', async () => {
    const event = sampleEvent(TOPICS.caseSubmitted);
    await producer.send({
      topic: TOPICS.caseSubmitted,
      acks: -1,
      messages: [{ key: event.caseId, value: JSON.stringify({ ...event, version: 99 }) }],
    });
    const letter = await expectEventually(
      async () => {
        const response = await call('/ops/dead-letters?topic=case.submitted&limit=1000', { token: operator });
        expect(response.status).toBe(200);
        const found = ((await response.json()) as Listing).deadLetters.find((l) => l.key === event.caseId);
        expect(found?.info?.errorClass).toBe('EventValidationError');
        return found!;
      },
      { timeoutMs: 30000 },
    );

    const replay = await call('/ops/dead-letters/replay', {
      token: operator,
      body: { topic: 'case.submitted', partition: letter.partition, offset: letter.offset },
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({
      replayed: [{ partition: letter.partition, offset: letter.offset, toTopic: 'case.submitted' }],
    });
    const audit = (await service.dataSource.query(
      `SELECT actor_role, action, object_id, result FROM audit_log WHERE action = 'dlq.replay'`,
    )) as unknown[];
    expect(audit).toEqual([
      {
        actor_role: 'operator',
        action: 'dlq.replay',
        object_id: `case.submitted.dlq/${letter.partition}/${letter.offset}`,
        result: 'succeeded',
      },
    ]);
    const missing = await call('/ops/dead-letters/replay', {
      token: operator,
      body: { topic: 'case.submitted', partition: letter.partition, offset: '999999999' },
    });
    expect(missing.status).toBe(404);
  }, 90000);
});
