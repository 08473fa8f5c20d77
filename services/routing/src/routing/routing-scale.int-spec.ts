import { TOPICS } from '@tongban/contracts';
import { type BootedService, bootService, scrapeMetric } from '@tongban/service-testing';
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

const CASES = 2000;
const ITEMS = ['RS-JYCYZ-004', 'GA-WFZJL-001', 'YB-MTBZ-004', 'MZ-DBSQ-002'];
const DISTRICTS = ['440303', '440306', '440309', '441305'];

function cases() {
  const template = sampleEvent(TOPICS.caseSubmitted);
  const applicant = template.payload.applicant;
  if (applicant.kind !== 'person') throw new Error('the fixture applicant is a person');
  return Array.from({ length: CASES }, (_, i) =>
    sampleEvent(TOPICS.caseSubmitted, {
      payload: {
        itemCode: ITEMS[i % ITEMS.length]!,
        applicant: {
          ...applicant,
          householdDistrict: DISTRICTS[Math.floor(i / ITEMS.length) % DISTRICTS.length]!,
        },
      },
    }),
  );
}

describe('two routing instances in one consumer group', () => {
  let first: BootedService<RoutingConfig>;
  let second: BootedService<RoutingConfig>;
  let producer: Producer;
  let recorder: TopicRecorder;

  const routedBy = (instance: BootedService<RoutingConfig>) =>
    scrapeMetric(instance.metricsUrl, 'tongban_cases_routed_total', { origin: 'rules' });

  const decisions = async () => {
    const [row] = (await first.dataSource.query(
      `SELECT count(*)::int AS decisions, count(DISTINCT case_id)::int AS cases FROM routing_decisions`,
    )) as { decisions: number; cases: number }[];
    return row!;
  };

  beforeAll(async () => {
    first = await bootService(routingService);
    [second, producer, recorder] = await Promise.all([
      bootService(
        routingService,
        { KAFKA_GROUP_ID: first.config.KAFKA_GROUP_ID },
        { database: first.database },
      ),
      connectTestProducer(),
      recordTopics([TOPICS.caseRouted, TOPICS.caseUnroutable]),
    ]);
  }, 60000);

  afterAll(async () => {
    await Promise.all([producer?.disconnect(), recorder?.stop()]);
    await second?.close();
    await first?.close();
  });

  it(`route ${CASES} cases, none lost and none routed twice, across a restart of one instance`, async () => {
    const events = cases();
    for (let start = 0; start < events.length; start += 250) {
      await producer.send({
        topic: TOPICS.caseSubmitted,
        acks: -1,
        messages: events
          .slice(start, start + 250)
          .map((event) => ({ key: event.caseId, value: JSON.stringify(event) })),
      });
    }

    // Part-way through, one instance stops (its partitions move to the other) and comes back.
    await expectEventually(
      async () => expect((await decisions()).decisions).toBeGreaterThanOrEqual(CASES / 4),
      {
        timeoutMs: 120000,
        intervalMs: 200,
      },
    );
    const beforeRestart = await routedBy(second);
    await second.close();
    second = await bootService(
      routingService,
      { KAFKA_GROUP_ID: first.config.KAFKA_GROUP_ID },
      { database: first.database },
    );

    await expectEventually(
      async () => expect(await decisions()).toEqual({ decisions: CASES, cases: CASES }),
      {
        timeoutMs: 240000,
        intervalMs: 500,
      },
    );
    const ids = new Set(events.map((event) => event.caseId));
    await expectEventually(
      () => {
        const announced = recorder.messages.filter((message) => message.key !== null && ids.has(message.key));
        expect(announced).toHaveLength(CASES);
        expect(new Set(announced.map((message) => message.key)).size).toBe(CASES);
        expect(announced.every((message) => message.topic === TOPICS.caseRouted)).toBe(true);
      },
      { timeoutMs: 60000 },
    );
    const [processed] = (await first.dataSource.query(
      `SELECT count(*)::int AS count FROM processed_events WHERE handler = 'routing.case-submitted' AND event_id = ANY($1)`,
      [events.map((event) => event.eventId)],
    )) as { count: number }[];
    expect(processed!.count).toBe(CASES);

    // Both instances did part of the work (the counter of a stopped instance is gone with it).
    const [byFirst, bySecondAfter] = await Promise.all([routedBy(first), routedBy(second)]);
    expect(byFirst).toBeGreaterThan(0);
    expect(beforeRestart + bySecondAfter).toBeGreaterThan(0);
  }, 480000);
});
