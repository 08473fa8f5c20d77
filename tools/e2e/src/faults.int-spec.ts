import { type AgeBand, birthDatesOfAgeBand, TOPICS } from '@tongban/contracts';
import { attemptReidentification, findPersonalNumbers, isValidResidentId } from '@tongban/pii';
import {
  connectTestProducer,
  expectEventually,
  startBroker,
  stopBroker,
  testEnvironment,
  testKafka,
  type TopicRecorder,
} from '@tongban/testing';
import { Client } from 'pg';
import type { TongbanSystem } from '@tongban/service-testing';
import { actors, SERVICES, type ServiceName, type TongbanClient } from './tongban-client';
import { FaultRun, readiness } from './fault-run';
import { type Traffic, type Trip } from './traffic';

/**
 * The fault suite: the built services as processes under steady traffic (a new case every
 * TRAFFIC_INTERVAL_MS, of every kind), one fault at a time; after each, every case accepted so far
 * must complete, and the whole run is reconciled: none lost, none processed twice, per-case order
 * intact, every service ready again without a manual step. The broker outage lasts
 * BROKER_OUTAGE_MS (services ride out an outage of a minute; shortened to what shows the behaviour).
 */
const TRAFFIC_INTERVAL_MS = 1500;
const BROKER_OUTAGE_MS = 20000;
const PROVIDER_OUTAGE_MS = 20000;
const ALL_TOPICS = Object.values(TOPICS);

describe('fault suite: faults under traffic, then reconciliation of every accepted case', () => {
  let system: TongbanSystem;
  let client: TongbanClient;
  let traffic: Traffic;
  let recorder: TopicRecorder;
  const run = `faults${Date.now().toString(36)}`;
  const who = actors(run);
  let faults: FaultRun;
  const runStartOffsets = new Map<string, { partition: number; offset: string }[]>();

  const say = (line: string) => process.stdout.write(`faults: ${line}\n`);

  const query = <Row>(service: ServiceName, sql: string, params: unknown[] = []) =>
    faults.query<Row>(service, sql, params);
  const fault = (name: string, inject: () => Promise<string>) => faults.fault(name, inject);
  const withTraffic = (n?: number) => faults.withTraffic(n);

  async function committedOffset(groupId: string, topic: string, partition: number): Promise<bigint> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return BigInt(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    const admin = testKafka().admin();
    await admin.connect();
    for (const topic of ALL_TOPICS) runStartOffsets.set(topic, await admin.fetchTopicOffsets(topic));
    await admin.disconnect();
    faults = await FaultRun.start({
      label: 'faults',
      basePort: 29401,
      run,
      say,
      // Texts retried within seconds, so the provider outage ends in the suite's time, and given up
      // only after minutes (30 attempts, ~2.5 min), well beyond the 20 s outage however slow the machine.
      env: {
        CONSUMER_MAX_ATTEMPTS: '5',
        SMS_RETRY_INITIAL_MS: '1000',
        SMS_RETRY_MAX_MS: '5000',
        SMS_MAX_ATTEMPTS: '30',
      },
      topics: [...ALL_TOPICS, ...ALL_TOPICS.map((topic) => `${topic}.dlq`)],
      intervalMs: TRAFFIC_INTERVAL_MS,
      journey: (kind, n) => ({
        failedAttempts: kind === 'door' && n % 2 === 0 ? 1 : 0,
        concurrentReviewers: kind === 'door',
        poll: { timeoutMs: 90000, intervalMs: 300 },
      }),
    });
    ({ system, client, traffic, recorder } = faults);
  }, 180000);

  afterAll(async () => {
    await faults?.stop();
    // Whatever happened, the shared broker is left running.
    const broker = await testKafka()
      .admin()
      .connect()
      .then(
        () => true,
        () => false,
      );
    if (!broker) await startBroker();
  }, 120000);

  for (const name of SERVICES) {
    it(`${name} SIGKILLed and restarted`, async () => {
      await withTraffic();
      await fault(`SIGKILL ${name}`, async () => {
        const service = system.services[name];
        const exit = await service.kill('SIGKILL');
        expect(exit.signal).toBe('SIGKILL');
        const down = await readiness(service);
        expect(down.status).toBe(0); // nothing answers while it is down
        void service.start();
        await service.ready();
        return `exit ${exit.signal}; readiness while down: connection refused`;
      });
    }, 240000);
  }

  it('the broker stopped and restarted', async () => {
    await withTraffic();
    await fault(`broker stopped ${BROKER_OUTAGE_MS / 1000} s`, async () => {
      const stoppedAt = Date.now();
      await stopBroker();
      try {
        // Readiness reports the outage, naming Kafka, on every service while it lasts.
        const reported = new Set<ServiceName>();
        let observations = 0;
        await expectEventually(
          async () => {
            for (const name of SERVICES) {
              const answer = await readiness(system.services[name]);
              observations++;
              if (answer.status === 503 && /kafka/i.test(answer.text)) reported.add(name);
            }
            expect([...reported].sort()).toEqual([...SERVICES].sort());
            expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(BROKER_OUTAGE_MS);
          },
          { timeoutMs: BROKER_OUTAGE_MS + 60000, intervalMs: 500 },
        );
        const accepted = traffic.trips.filter(
          (trip) => trip.startedAt >= stoppedAt && trip.journey.result.caseId,
        );
        return `all ${SERVICES.length} services answered 503 naming kafka (${observations} probes); ${accepted.length} case(s) accepted (201) while the broker was down`;
      } finally {
        await startBroker();
      }
    });
  }, 300000);

  it('the SMS provider down, then back: no text lost, none sent twice', async () => {
    const gateway = system.sms;
    /**
     * Texts the phones got minus rows marked sent. A text between the provider's answer and its
     * row's commit adds one for a moment; a text sent twice adds one for good (an earlier SIGKILL
     * of the notification service may have done so, a gap its README documents). So the least of
     * a few readings is the lasting difference.
     */
    const lastingDifference = async () => {
      const readings: number[] = [];
      for (let poll = 0; poll < 5; poll++) {
        const [row] = await query<{ sent: number }>(
          'notification',
          `SELECT count(*) FILTER (WHERE status IN ('sent', 'delivered'))::int AS sent FROM notifications`,
        );
        readings.push(gateway.accepted - row!.sent);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return Math.min(...readings);
    };
    const nothingDue = () =>
      expectEventually(
        async () => {
          const [row] = await query<{ due: number }>(
            'notification',
            `SELECT count(*)::int AS due FROM notifications WHERE status = 'queued' AND due_at <= now()`,
          );
          expect(row!.due).toBe(0);
        },
        { timeoutMs: 90000, intervalMs: 1000 },
      );
    await withTraffic();
    await fault(`SMS provider down ${PROVIDER_OUTAGE_MS / 1000} s`, async () => {
      await nothingDue();
      const differenceBefore = await lastingDifference();
      const acceptedBefore = gateway.accepted;
      const requestsBefore = gateway.requests;
      gateway.setMode('down');
      const downAt = Date.now();
      try {
        // Texts falling due meanwhile stay queued with a failed attempt, never given up.
        await expectEventually(
          async () => {
            const [row] = await query<{ waiting: number }>(
              'notification',
              `SELECT count(*)::int AS waiting FROM notifications WHERE status = 'queued' AND attempts > 0`,
            );
            expect(row!.waiting).toBeGreaterThan(0);
            expect(Date.now() - downAt).toBeGreaterThanOrEqual(PROVIDER_OUTAGE_MS);
          },
          { timeoutMs: PROVIDER_OUTAGE_MS + 60000, intervalMs: 500 },
        );
      } finally {
        gateway.setMode('ok');
      }
      await nothingDue();
      // No text sent twice meanwhile: the lasting difference is what it was before the outage.
      await expectEventually(async () => expect(await lastingDifference()).toBe(differenceBefore), {
        timeoutMs: 60000,
        intervalMs: 1000,
      });
      const [failed] = await query<{ n: number }>(
        'notification',
        `SELECT count(*)::int AS n FROM notifications WHERE status = 'failed'`,
      );
      expect(failed!.n).toBe(0);
      return (
        `${gateway.requests - requestsBefore} SendSms request(s) during and after the outage; ` +
        `${gateway.accepted - acceptedBefore} text(s) reached phones, none twice, none given up`
      );
    });
  }, 300000);

  it('a service killed between its DB commit and its offset commit', async () => {
    await withTraffic();
    await fault('crash after commit (approval.case-routed)', async () => {
      const approval = system.services.approval;
      await approval.kill('SIGTERM');
      const crashed = approval.start({ FAULT_CRASH_AFTER_COMMIT: 'approval.case-routed' });
      const exit = await crashed;
      expect(exit.signal).toBe('SIGKILL');
      const line = approval
        .output()
        .split('\n')
        .find((text) => text.includes('fault injection: killing the process'));
      expect(line).toBeDefined();
      const victim = JSON.parse(line!) as { eventId: string; partition: number; offset: string };
      const committedAtCrash = await committedOffset(approval.groupId, TOPICS.caseRouted, victim.partition);
      expect(committedAtCrash).toBeLessThanOrEqual(BigInt(victim.offset));
      void approval.start();
      await approval.ready();
      // The victim is delivered again after the restart (its offset was never committed) and
      // skipped: the offset moves past it while its inbox row stays the only one.
      await expectEventually(
        async () =>
          expect(
            await committedOffset(approval.groupId, TOPICS.caseRouted, victim.partition),
          ).toBeGreaterThan(BigInt(victim.offset)),
        { timeoutMs: 60000, intervalMs: 250 },
      );
      const [processed] = await query<{ n: number }>(
        'approval',
        `SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1`,
        [victim.eventId],
      );
      expect(processed!.n).toBe(1);
      return `killed after committing ${TOPICS.caseRouted} offset ${victim.offset} (committed offset then ${committedAtCrash}); redelivered after the restart, offset moved past it, processed_events rows for it: 1`;
    });
  }, 240000);

  it('Postgres connections terminated (pg_terminate_backend)', async () => {
    await withTraffic();
    await fault('pg_terminate_backend on the four databases', async () => {
      const names = SERVICES.map((name) => system.services[name].database.name);
      const admin = new Client({ connectionString: testEnvironment().postgresUrl });
      await admin.connect();
      let terminated = 0;
      try {
        const { rows } = await admin.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
            WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
          [names],
        );
        terminated = rows.filter((row) => row.ok).length;
      } finally {
        await admin.end();
      }
      expect(terminated).toBeGreaterThan(0);
      return `${terminated} backend connection(s) terminated`;
    });
  }, 240000);

  it('a poison event is dead-lettered and the consumer moves on', async () => {
    await withTraffic();
    await fault('poison event on case.submitted', async () => {
      const producer = await connectTestProducer();
      const key = `poison-${Date.now()}`;
      try {
        await producer.send({
          topic: TOPICS.caseSubmitted,
          acks: -1,
          messages: [{ key, value: '{"type":"case.submitted","payload":"not an event"' }],
        });
      } finally {
        await producer.disconnect();
      }
      const groups = await expectEventually(
        () => {
          const letters = recorder.messages.filter(
            (m) => m.topic === `${TOPICS.caseSubmitted}.dlq` && m.key === key,
          );
          const mine = letters.filter(
            (m) => m.headers['dlq-consumer-group'] === system.services.routing.groupId,
          );
          expect(mine).toHaveLength(1);
          return letters.length;
        },
        { timeoutMs: 30000, intervalMs: 250 },
      );
      return `dead-lettered by routing (${groups} dead letter(s) of it across all consumer groups on the broker)`;
    });
  }, 240000);

  it('replayed events: consumer groups reset to this run’s start while stopped', async () => {
    await withTraffic();
    await fault('replay (routing and delivery groups reset)', async () => {
      // Reset to the topics' offsets when this run began: "earliest" for this system's events.
      // (Earliest of the shared broker would replay every other suite's events into these databases.)
      const targets: [ServiceName, string][] = [
        ['routing', TOPICS.caseSubmitted],
        ['delivery', TOPICS.caseDecided],
      ];
      const admin = testKafka().admin();
      await admin.connect();
      const replayed: string[] = [];
      try {
        for (const [name, topic] of targets) {
          const service = system.services[name];
          await service.kill('SIGTERM');
          // The broker lists a member until its leave request lands (or its session times out,
          // 30 s, if the process could not send one); offsets can only be set on an empty group.
          await expectEventually(
            async () => {
              const [group] = (await admin.describeGroups([service.groupId])).groups;
              expect(['Empty', 'Dead']).toContain(group?.state);
            },
            { timeoutMs: 45000, intervalMs: 500 },
          );
          const committed = await admin.fetchOffsets({ groupId: service.groupId, topics: [topic] });
          const start = runStartOffsets.get(topic)!;
          await admin.setOffsets({
            groupId: service.groupId,
            topic,
            partitions: start.map(({ partition, offset }) => ({ partition, offset })),
          });
          const count = committed[0]!.partitions.reduce(
            (sum, p) =>
              sum + Number(p.offset) - Number(start.find((s) => s.partition === p.partition)!.offset),
            0,
          );
          void service.start();
          await service.ready();
          // The group consumes the replay up to where it was before the reset; the reconciliation
          // below then shows no case got a second routing decision or parcel.
          for (const p of committed[0]!.partitions) {
            await expectEventually(
              async () =>
                expect(await committedOffset(service.groupId, topic, p.partition)).toBeGreaterThanOrEqual(
                  BigInt(p.offset),
                ),
              { timeoutMs: 90000, intervalMs: 500 },
            );
          }
          replayed.push(
            `${name}: ${count} ${topic} event(s) replayed and consumed again up to the pre-reset offsets`,
          );
        }
      } finally {
        await admin.disconnect();
      }
      return replayed.join('; ');
    });
  }, 300000);

  it('reconciles every accepted case: none lost, none processed twice, per-case order intact', async () => {
    await faults.reconcile();
  }, 240000);

  it('leaves no clear-text ID or phone number in logs, error bodies, dead letters or Kafka payloads; the ID column is ciphertext', async () => {
    const results = traffic.results();
    const secrets = new Set(results.flatMap((r) => [r.plan.applicant.idNumber, r.plan.applicant.phone]));
    // The rule every scanner of the system shares (identifiers are never judged), plus the
    // applicants' own values wherever they stand. A finding names its kind and the 40 characters
    // before it, digits masked (never the number).
    const context = (text: string, index: number) =>
      text.slice(Math.max(0, index - 40), index).replace(/\d/g, '#');
    const candidates = (text: string): string[] => {
      const found = findPersonalNumbers(text).map(
        ({ kind, start }) => `${kind} after …${context(text, start)}`,
      );
      for (const secret of secrets) if (text.includes(secret)) found.push('an applicant value');
      return found;
    };
    const sources: Record<string, string[]> = {};
    for (const name of SERVICES) sources[`${name} log`] = [system.services[name].output()];
    sources['HTTP error bodies'] = client.errors.map((error) => error.text);
    sources['Kafka payloads and headers'] = recorder.messages
      .filter((m) => m.key && (results.some((r) => r.caseId === m.key) || m.topic.endsWith('.dlq')))
      .map((m) => `${m.value} ${JSON.stringify(m.headers)}`);
    const letters: string[] = [];
    for (const topic of ALL_TOPICS) {
      const answer = await client.call(
        'routing',
        'GET',
        `/ops/dead-letters?topic=${topic}&limit=100`,
        who.operator,
      );
      expect(answer.status).toBe(200);
      letters.push(answer.text);
    }
    sources['dead letters (ops API)'] = letters;
    const findings = Object.entries(sources).flatMap(([source, texts]) =>
      texts.flatMap((text) => candidates(text).map((what) => `${what} in ${source}`)),
    );
    const scanned = Object.entries(sources).map(
      ([source, texts]) => `${source} ${texts.reduce((sum, text) => sum + text.length, 0)} chars`,
    );
    say(`personal-data scan: ${scanned.join(', ')}; findings ${findings.length}`);
    expect(findings).toEqual([]);

    const rows = await query<{ id: string; id_number_ciphertext: string; phone_ciphertext: string }>(
      'intake',
      'SELECT id, id_number_ciphertext, phone_ciphertext FROM cases',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(isValidResidentId(row.id_number_ciphertext)).toBe(false);
      expect(candidates(`${row.id_number_ciphertext} ${row.phone_ciphertext}`)).toEqual([]);
    }
    const sample = results.find((r) => r.caseId === rows[0]!.id)!;
    expect(system.cipher.decrypt(rows[0]!.id_number_ciphertext)).toBe(sample.plan.applicant.idNumber);
    say(
      `intake cases.id_number_ciphertext: ${rows.length} row(s), all ciphertext (one decrypted back to its applicant's ID)`,
    );
  }, 120000);

  it('lets nobody rebuild an applicant’s ID or phone number from everything the run produced about them', () => {
    // Per case: its events on Kafka, the log lines and error bodies that name it, and every API
    // answer any role was given about it (staff, reviewers, couriers, operators, the applicant).
    const logLines = SERVICES.flatMap((name) => system.services[name].output().split('\n'));
    // The courier of a parcel is the one role shown the applicant's phone number, to agree on a
    // time at the door (and that read is audited); every other answer counts.
    expect(client.answersTruncated).toBe(false);
    const shown = client.answers.filter(
      (answer) => !(answer.service === 'delivery' && answer.path.startsWith('/courier/parcels/')),
    );
    const texts = [
      ...logLines,
      ...client.errors.map((error) => error.text),
      ...shown.map((answer) => answer.text),
    ];
    const results = traffic.results().filter((r) => r.caseId && r.receipt);
    // One pass over the texts, bucketed by the case ids and receipt numbers they name.
    const byName = new Map<string, string[]>();
    for (const text of texts)
      for (const [name] of text.matchAll(CASE_NAMES)) {
        const bucket = byName.get(name) ?? [];
        if (bucket.at(-1) !== text) bucket.push(text);
        byName.set(name, bucket);
      }
    const weakest = { id: Number.POSITIVE_INFINITY, phone: Number.POSITIVE_INFINITY };
    const rebuilt: string[] = [];
    for (const result of results) {
      const about = [
        ...new Set([...(byName.get(result.caseId!) ?? []), ...(byName.get(result.receipt!) ?? [])]),
      ];
      const events = recorder.messages.filter((m) => m.key === result.caseId).map((m) => m.value ?? '');
      const submitted = recorder.messages.find(
        (m) => m.key === result.caseId && m.topic === 'case.submitted',
      );
      const payload = submitted ? (JSON.parse(submitted.value ?? '{}') as SubmittedLike) : undefined;
      const band = payload?.payload.applicant.ageBand;
      const range = band ? birthDatesOfAgeBand(band, payload!.occurredAt.slice(0, 10)) : undefined;
      const attempt = attemptReidentification([...events, ...about], result.plan.applicant, {
        birthDateRange: range,
      });
      if (attempt.idNumber.rebuilt || attempt.phone.rebuilt) rebuilt.push(result.caseId!);
      weakest.id = Math.min(weakest.id, attempt.idNumber.candidates);
      weakest.phone = Math.min(weakest.phone, attempt.phone.candidates);
    }
    say(
      `re-identification: ${results.length} applicant(s), each from all clear fields of their case ` +
        `(${texts.length} log lines, error bodies and API answers, ${recorder.messages.length} Kafka messages); ` +
        `rebuilt ${rebuilt.length}; fewest candidates left: ID ${weakest.id}, phone ${weakest.phone}`,
    );
    expect(results.length).toBeGreaterThan(50);
    expect(rebuilt).toEqual([]);
    // A two-year age band (16-17) leaves the fewest birth dates: about 66 ID numbers.
    expect(weakest.id).toBeGreaterThanOrEqual(50);
    expect(weakest.phone).toBeGreaterThanOrEqual(10_000);
  }, 300000);
});

const CASE_NAMES = /[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}|\d{9,12}-\d{8}-\d{4,}/g;

interface SubmittedLike {
  readonly occurredAt: string;
  readonly payload: { readonly applicant: { readonly ageBand?: AgeBand } };
}

export type { Trip };
