import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Actor, devAuthKeys, type DevAuthKeys, findDevUser, mintDevToken } from '@tongban/auth';
import { SERVICE_NAMES, type ServiceName } from '@tongban/config';
import { TOPICS } from '@tongban/contracts';
import { generatePhone, generateResidentId } from '@tongban/pii';
import { callService, type HttpAnswer, TongbanSystem } from '@tongban/service-testing';
import type { Producer } from 'kafkajs';
import { dashboardQueries } from './dashboard-queries';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver';
import {
  connectTestProducer,
  ensurePrometheus,
  expectEventually,
  type PrometheusServer,
  sampleEvent,
  startPrometheus,
} from '@tongban/testing';
import { fromRoot } from './workspace-root';

/**
 * Observability (docs/operations.md), end to end: the alert rules pass promtool; the four built services, traced
 * to a local OTLP receiver, make one trace of one case; and a real Prometheus scraping them
 * finds data for every query of every Grafana dashboard once a handful of cases went through.
 */

const BASE_PORT = 29421; // 29421-29432 (API, then metrics): clear of npm start's ports and the other suites
const ALERTS = fromRoot('deploy/prometheus/alerts.yml');
const DASHBOARDS = fromRoot('deploy/grafana/dashboards');
const XINAN = '440306001'; // 宝安区新安街道: the window and dispatch desk of every case here
const ITEM = 'RS-SYBXJ-001'; // 失业保险金申领: 秒批 for applicants up to 59, a reviewer otherwise

const user = (id: string): Actor => {
  const found = findDevUser(id);
  if (!found) throw new Error(`no dev user ${id}`);
  return found;
};
const STAFF = user('staff-xinan');
const REVIEWER = user('reviewer-rsj'); // 440306-rsj
const COURIER = user('courier-01');

type Body = Record<string, unknown>;

interface Applicant {
  readonly idNumber: string;
  readonly phone: string;
}

describe('observability: alert rules, one trace per case, data behind every dashboard panel', () => {
  let keys: DevAuthKeys;
  let receiver: OtlpReceiver;
  let system: TongbanSystem;
  let prometheus: PrometheusServer | undefined;
  let producer: Producer | undefined;
  const tokens = new Map<string, Promise<string>>();
  const startedAt = Date.now();
  const progress = (line: string) =>
    process.stdout.write(`observability +${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${line}\n`);

  const token = (actor: Actor) => {
    if (!tokens.has(actor.sub)) tokens.set(actor.sub, mintDevToken(actor, keys));
    return tokens.get(actor.sub)!;
  };
  const call = async <Answer = Body>(
    service: ServiceName,
    method: 'GET' | 'POST',
    path: string,
    actor?: Actor,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<Answer>> =>
    callService<Answer>(system.services[service].baseUrl, method, path, {
      token: actor ? await token(actor) : undefined,
      body,
      headers,
    });
  /** An answer with one of the statuses, else an error naming the step (retried by the polls). */
  const must = <Answer>(what: string, answer: HttpAnswer<Answer>, ...statuses: number[]): Answer => {
    if (!statuses.includes(answer.status))
      throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
    return answer.body;
  };
  const poll = <T>(attempt: () => Promise<T>, timeoutMs = 60000) =>
    expectEventually(attempt, { timeoutMs, intervalMs: 250 });

  beforeAll(async () => {
    const installed = ensurePrometheus();
    progress(`prometheus ${installed}`);
    keys = await devAuthKeys();
    receiver = await startOtlpReceiver();
    system = await TongbanSystem.start({
      label: 'obs',
      basePort: BASE_PORT,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'always_on',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      progress,
    });
    progress('services ready');
    const servicesUp = Date.now();
    prometheus = await startPrometheus(
      SERVICE_NAMES.map((name) => `127.0.0.1:${system.services[name].metricsPort}`),
      [ALERTS],
    );
    // Prometheus scrapes before any case is driven, so counters and histograms are seen moving.
    await poll(async () => {
      const { activeTargets } = await prometheus!.api<{
        activeTargets: { health: string; scrapeUrl: string }[];
      }>('targets');
      const up = activeTargets.filter((target) => target.health === 'up');
      if (up.length !== SERVICE_NAMES.length)
        throw new Error(`targets up: ${up.map((target) => target.scrapeUrl).join(', ') || 'none'}`);
    }, 30000);
    producer = await connectTestProducer();
    process.stdout.write(
      `observability: prometheus ${installed}; services ready in ${servicesUp - startedAt} ms, ` +
        `scraped after ${Date.now() - startedAt} ms\n`,
    );
  }, 180000);

  afterAll(async () => {
    await producer?.disconnect();
    await prometheus?.stop();
    await system?.stop();
    await receiver?.close();
    process.stdout.write(`observability: ${Date.now() - startedAt} ms in all\n`);
  }, 60000);

  // --- cases ---------------------------------------------------------------------------------

  function applicant(birthDate: string): Applicant {
    return { idNumber: generateResidentId({ regionCode: '440306', birthDate }), phone: generatePhone() };
  }

  /** Accepts a case of ITEM at 新安 for a 宝安 resident: 秒批 when aged up to 59, a reviewer after. */
  async function submit(
    person: Applicant,
    delivery: Body,
    headers: Record<string, string> = {},
  ): Promise<{ caseId: string; receiptNumber: string }> {
    const body = must(
      'submit',
      await call<{ caseId: string; receiptNumber: string }>(
        'intake',
        'POST',
        '/cases',
        STAFF,
        {
          itemCode: ITEM,
          applicant: { kind: 'person', name: '测试申请人', householdDistrict: '440306', ...person },
          materials: ['id_card', 'termination_certificate', 'bank_account'].map((code) => ({
            code,
            name: code,
          })),
          delivery,
        },
        { 'idempotency-key': randomUUID(), ...headers },
      ),
      201,
    );
    return body;
  }
  const pickup = { method: 'pickup', officeId: XINAN };
  const door = { method: 'courier', address: { districtCode: '440306', detail: '宝安区新安街道测试路8号' } };

  const caseStatus = async (caseId: string) =>
    must('case', await call('intake', 'GET', `/cases/${caseId}`, STAFF), 200)['status'] as string;

  async function untilStatus(caseId: string, wanted: string[]): Promise<string> {
    return poll(async () => {
      const status = await caseStatus(caseId);
      if (!wanted.includes(status))
        throw new Error(`case ${caseId} is ${status}, waiting for ${wanted.join('|')}`);
      return status;
    });
  }

  async function parcelOf(caseId: string): Promise<string> {
    return poll(async () => {
      const answer = must(
        'parcels',
        await call<{ parcels?: Body[]; items?: Body[] }>(
          'delivery',
          'GET',
          '/parcels?includeFinal=true&limit=200',
          STAFF,
        ),
        200,
      );
      const parcel = (answer.parcels ?? answer.items ?? []).find((p) => p['caseId'] === caseId);
      if (!parcel) throw new Error(`no parcel of case ${caseId} yet`);
      return parcel['parcelId'] as string;
    });
  }

  async function workItem(caseId: string): Promise<string> {
    return poll(async () => {
      const answer = must(
        'queue',
        await call<{ items: Body[] }>('approval', 'GET', `/work-items?itemCode=${ITEM}&limit=100`, REVIEWER),
        200,
      );
      const item = answer.items.find((entry) => entry['caseId'] === caseId);
      if (!item) throw new Error(`no work item of case ${caseId} in 440306-rsj's queue yet`);
      return item['id'] as string;
    });
  }

  const step = (what: string, service: ServiceName, path: string, actor: Actor | undefined, body?: unknown) =>
    poll(async () => must(what, await call(service, 'POST', path, actor, body), 200, 201));

  /** 秒批, then the parcel taken in at the window, where it waits for the applicant. */
  async function instantCaseWaitingAtWindow(): Promise<void> {
    const { caseId } = await submit(applicant('1990-03-15'), pickup);
    const parcelId = await parcelOf(caseId);
    await step('receive', 'delivery', `/parcels/${parcelId}/receive`, STAFF);
  }

  /** A reviewer approves; the courier fails once, then delivers; the applicant rates it 2 (差评). */
  async function reviewedDoorCaseRated(): Promise<void> {
    const person = applicant('1962-08-20');
    const { caseId, receiptNumber } = await submit(person, door);
    const itemId = await workItem(caseId);
    await step('claim', 'approval', `/work-items/${itemId}/claim`, REVIEWER);
    await step('approve', 'approval', `/work-items/${itemId}/approve`, REVIEWER, {
      remarks: '材料齐全, 予以批准',
    });
    const parcelId = await parcelOf(caseId);
    await step('receive', 'delivery', `/parcels/${parcelId}/receive`, STAFF);
    await step('assign', 'delivery', `/parcels/${parcelId}/assign`, STAFF, { courierId: 'courier-01' });
    await step('pick up', 'delivery', '/courier/pickups', COURIER, {
      parcelIds: [parcelId],
      signatureRef: `sig-courier-${parcelId.slice(0, 8)}`,
    });
    const courier = `/courier/parcels/${parcelId}`;
    const nextAttemptAt = new Date(Date.now() + 3600_000).toISOString();
    await step('out for delivery', 'delivery', `${courier}/out-for-delivery`, COURIER);
    await step('failed attempt', 'delivery', `${courier}/failed-attempts`, COURIER, {
      reason: 'not_home',
      nextAttemptAt,
    });
    await step('reschedule', 'delivery', `${courier}/reschedule`, COURIER, { nextAttemptAt });
    await step('out again', 'delivery', `${courier}/out-for-delivery`, COURIER);
    await step('deliver', 'delivery', `${courier}/delivered`, COURIER, {
      proof: { kind: 'id_last4', idLast4: person.idNumber.slice(-4) },
      signatureRef: `sig-door-${parcelId.slice(0, 8)}`,
    });
    await untilStatus(caseId, ['delivered']);
    await step('rate', 'intake', '/cases/rating', undefined, {
      receipt: receiptNumber,
      phoneLast4: person.phone.slice(-4),
      score: 2,
      tags: ['slow'],
      channel: 'sms',
    });
  }

  /** A reviewer asks for a material again (一次性告知): the case waits, its SLA clock paused. */
  async function reviewedCaseWaitingForSupplement(): Promise<void> {
    const { caseId } = await submit(applicant('1961-01-05'), pickup);
    const itemId = await workItem(caseId);
    await step('claim', 'approval', `/work-items/${itemId}/claim`, REVIEWER);
    await step('request supplements', 'approval', `/work-items/${itemId}/supplement-requests`, REVIEWER, {
      items: [{ materialCode: 'bank_account', reason: '请补交本人社会保障卡或银行结算账户' }],
    });
    await untilStatus(caseId, ['supplement_requested']);
  }

  // --- the checks ----------------------------------------------------------------------------

  it('promtool accepts the alert rules', () => {
    const output = execFileSync('promtool', ['check', 'rules', ALERTS], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('makes one trace of a case from the intake request through routing, approval and delivery', async () => {
    // The window's client starts the trace, so the trace of this case is known in advance.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const { caseId } = await submit(applicant('1991-06-01'), pickup, {
      traceparent: `00-${traceId}-${clientSpanId}-01`,
    });
    await parcelOf(caseId); // delivery made the parcel: the case went through all four

    const trace = await poll(async () => {
      const spans = receiver.spans.filter((span) => span.traceId === traceId);
      const services = new Set(spans.map((span) => span.service));
      const missing = SERVICE_NAMES.filter((name) => !services.has(name));
      // One tree: every span's parent is in the trace (or is the client's span that started it).
      const ids = new Set([clientSpanId, ...spans.map((span) => span.spanId)]);
      const orphans = spans.filter((span) => !ids.has(span.parentSpanId));
      if (missing.length > 0 || orphans.length > 0)
        throw new Error(
          `trace ${traceId}: no spans yet from ${missing.join(', ') || '-'}; ` +
            `spans whose parent is not in the trace: ${orphans.map((span) => `${span.service}:${span.name}`).join(', ') || '-'}` +
            `; receiver problems: ${receiver.problems.join('; ') || '-'}`,
        );
      return spans;
    });
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(SERVICE_NAMES));
    // The hops between services are the relay's publish spans and the consumers' process spans.
    const names = (service: ServiceName) =>
      trace.filter((span) => span.service === service).map((span) => span.name);
    expect(names('intake')).toEqual(expect.arrayContaining(['publish case.submitted']));
    expect(names('routing')).toEqual(
      expect.arrayContaining(['process case.submitted', 'publish case.routed']),
    );
    expect(names('approval')).toEqual(
      expect.arrayContaining(['process case.routed', 'publish case.decided']),
    );
    expect(names('delivery')).toEqual(expect.arrayContaining(['process case.decided']));
    process.stdout.write(
      `observability: trace ${traceId}: ${trace.length} spans; ` +
        SERVICE_NAMES.map((name) => `${name} ${names(name).length}`).join(', ') +
        ` (${receiver.spans.length} spans received in all)\n`,
    );
    expect(
      receiver.spans.every((span: ReceivedSpan) => SERVICE_NAMES.includes(span.service as ServiceName)),
    ).toBe(true);
  }, 120000);

  it('has data behind every query of every Grafana dashboard', async () => {
    const queries = dashboardQueries(DASHBOARDS);
    expect(queries.length).toBeGreaterThan(0);

    // A bad request (400), an unroutable case (an item routing does not know: intake would refuse
    // it, so straight to Kafka as another producer would), and an unreadable message (dead letter).
    must('bad request', await call('intake', 'POST', '/cases', STAFF, { itemCode: ITEM }), 400);
    const unknown = sampleEvent(TOPICS.caseSubmitted, { payload: { itemCode: 'XX-UNKNOWN-001' } });
    await producer!.send({
      topic: TOPICS.caseSubmitted,
      acks: -1,
      messages: [
        { key: unknown.caseId, value: JSON.stringify(unknown) },
        { key: `garbage-${randomUUID()}`, value: 'not an event {' },
      ],
    });
    await Promise.all([
      instantCaseWaitingAtWindow(),
      reviewedDoorCaseRated(),
      reviewedCaseWaitingForSupplement(),
    ]);

    let results: { panel: string; series: number; values: string[] }[] = [];
    await expectEventually(
      async () => {
        results = [];
        const failures: string[] = [];
        for (const query of queries) {
          const where = `${query.dashboard} / ${query.panel} [${query.refId}]`;
          try {
            const data = await prometheus!.api<{ result: { value: [number, string] }[] }>(
              `query?query=${encodeURIComponent(query.query)}`,
            );
            if (data.result.length === 0) failures.push(`${where}: no series for ${query.query}`);
            results.push({
              panel: where,
              series: data.result.length,
              values: data.result.map((r) => r.value[1]),
            });
          } catch (error) {
            failures.push(`${where}: ${(error as Error).message} for ${query.query}`);
          }
        }
        // The alert rules load and evaluate against the real metrics without errors.
        const { groups } = await prometheus!.api<{
          groups: { rules: { name: string; health: string; lastError?: string }[] }[];
        }>('rules');
        const rules = groups.flatMap((group) => group.rules);
        if (rules.length === 0) failures.push('no alert rules loaded');
        for (const rule of rules)
          if (rule.health !== 'ok')
            failures.push(`alert ${rule.name}: ${rule.health} ${rule.lastError ?? ''}`);
        if (failures.length > 0)
          throw new Error(
            `${failures.length} of ${queries.length} queries or rules failing:\n${failures.join('\n')}`,
          );
      },
      { timeoutMs: 60000, intervalMs: 1000 },
    );
    const panels = new Set(queries.map((query) => `${query.dashboard} / ${query.panel}`));
    const nanOnly = results.filter((result) => result.values.every((value) => value === 'NaN'));
    process.stdout.write(
      `observability: ${queries.length} queries of ${panels.size} panels in ` +
        `${new Set(queries.map((query) => query.dashboard)).size} dashboards return data ` +
        `(${nanOnly.length} only NaN: ${nanOnly.map((result) => result.panel).join('; ') || '-'})\n`,
    );
  }, 180000);
});
