import { TOPICS } from '@tongban/contracts';
import { type ServiceProcess, TongbanSystem } from '@tongban/service-testing';
import { expectEventually, recordTopics, type TopicRecorder } from '@tongban/testing';
import { Client } from 'pg';
import type { JourneyOptions } from './journeys';
import { serverErrorReporter } from './server-error-report';
import {
  actors,
  type CaseKind,
  SERVICES,
  type ServiceName,
  SmsGateway,
  TongbanClient,
  withdrawRoutingRule,
} from './tongban-client';
import { Traffic } from './traffic';

export interface FaultRunOptions {
  /** Names the system's databases and groups. */
  readonly label: string;
  readonly basePort: number;
  /** Tags the run's staff, reviewers and couriers (rate limits and proof budgets are per subject). */
  readonly run: string;
  readonly say: (line: string) => void;
  readonly env?: Record<string, string>;
  readonly postgresUrl?: string;
  readonly redisUrl?: string;
  /** The topics recorded for the reconciliation's order and once-only checks. */
  readonly topics: readonly string[];
  readonly intervalMs: number;
  readonly journey: (kind: CaseKind, n: number) => JourneyOptions;
  /** 5xx statuses the fault under test causes on purpose: not explained from the service logs. */
  readonly expectedServerErrors?: readonly number[];
}

export interface FaultReport {
  readonly fault: string;
  readonly inFlightAtInjection: number;
  readonly casesDuring: number;
  readonly completed: number;
  readonly detail: string;
}

/** GET /health/ready; status 0 when nothing answers. */
export async function readiness(service: ServiceProcess): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(`${service.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5000) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    return { status: 0, text: (error as Error).message };
  }
}

/**
 * Faults injected one at a time into a running system under steady traffic: after each, every
 * case started so far must complete and every service must be ready again without a manual step;
 * at the end `reconcile` checks the whole run across the databases and the recorded topics.
 */
export class FaultRun {
  readonly reports: FaultReport[] = [];

  private constructor(
    readonly system: TongbanSystem,
    readonly client: TongbanClient,
    readonly sms: SmsGateway,
    readonly traffic: Traffic,
    readonly recorder: TopicRecorder,
    private readonly say: (line: string) => void,
  ) {}

  /**
   * Starts the built services, withdraws the routing rule that makes the 'unroutable' kind
   * unroutable, records the topics and starts the traffic: a case of the next kind every intervalMs,
   * with its own staff, reviewers and couriers.
   */
  static async start(options: FaultRunOptions): Promise<FaultRun> {
    const { say } = options;
    const system = await TongbanSystem.start({
      label: options.label,
      basePort: options.basePort,
      progress: say,
      ...(options.env ? { env: options.env } : {}),
      ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    });
    const report = serverErrorReporter(system, say);
    const client = new TongbanClient(system.endpoints, system.keys, (error) => {
      if (!options.expectedServerErrors?.includes(error.status)) report(error);
    });
    const sms = new SmsGateway(system.services.delivery.database.url, system.cipher);
    await withdrawRoutingRule(client, actors(options.run));
    const recorder = await recordTopics(options.topics);
    const traffic = new Traffic(
      client,
      sms,
      (n) => actors(`${options.run}-${n}`),
      undefined,
      options.journey,
    );
    const run = new FaultRun(system, client, sms, traffic, recorder, say);
    traffic.start(options.intervalMs);
    return run;
  }

  /** Stops the traffic (waiting up to 20 s for the trips under way), the recorder and the services. */
  async stop(): Promise<void> {
    this.traffic.stop();
    await Promise.race([this.traffic.settle(), new Promise((resolve) => setTimeout(resolve, 20000).unref())]);
    await this.recorder.stop();
    await this.sms.close();
    await this.system.stop();
  }

  async query<Row>(service: ServiceName, sql: string, params: unknown[] = []): Promise<Row[]> {
    const db = new Client({ connectionString: this.system.services[service].database.url });
    await db.connect();
    try {
      return (await db.query(sql, params)).rows as Row[];
    } finally {
      await db.end();
    }
  }

  async allReady(): Promise<void> {
    await Promise.all(SERVICES.map((name) => this.system.services[name].ready(90000)));
  }

  /** Injects a fault with traffic flowing, then waits for every case started so far to complete. */
  async fault(name: string, inject: () => Promise<string>): Promise<void> {
    const before = this.traffic.trips.length;
    const inFlight = this.traffic.inFlight().length;
    const began = Date.now();
    const detail = await inject();
    await this.allReady();
    const trips = await this.traffic.settle();
    const failed = trips.filter((trip) => trip.error);
    const report: FaultReport = {
      fault: name,
      inFlightAtInjection: inFlight,
      casesDuring: trips.length - before,
      completed: trips.length - failed.length,
      detail,
    };
    this.reports.push(report);
    this.say(
      `${name}: ${inFlight} case(s) in flight when injected, ${report.casesDuring} started during it, ` +
        `${report.completed}/${trips.length} of all accepted so far completed (${Date.now() - began} ms); ${detail}`,
    );
    expect(failed.map((trip) => `${trip.kind}: ${trip.error!.message.slice(0, 500)}`)).toEqual([]);
  }

  /** Lets traffic flow until at least `n` more cases are in flight. */
  async withTraffic(n = 2): Promise<void> {
    await expectEventually(() => expect(this.traffic.inFlight().length).toBeGreaterThanOrEqual(n), {
      timeoutMs: 30000,
      intervalMs: 100,
    });
  }

  /**
   * Every accepted case completed, none lost, none processed twice, per-case order intact.
   * `bulkCaseIds`: 秒批 window-pickup cases submitted beside the journeys (an overload), each of
   * which must also have been routed, decided and given its parcel exactly once.
   */
  async reconcile(bulkCaseIds: ReadonlySet<string> = new Set()): Promise<void> {
    this.traffic.stop();
    const trips = await this.traffic.settle();
    const results = trips.map((trip) => trip.journey.result);
    const caseIds = new Set([...results.map((r) => r.caseId!).filter(Boolean), ...bulkCaseIds]);
    expect(
      trips.filter((trip) => trip.error).map((trip) => `${trip.kind}: ${trip.error!.message.slice(0, 500)}`),
    ).toEqual([]);

    // Intake: exactly the accepted cases, no extra one from a retried submission.
    const intakeCases = await this.query<{ id: string }>('intake', 'SELECT id FROM cases');
    expect(intakeCases.length).toBe(caseIds.size);
    expect(intakeCases.every((row) => caseIds.has(row.id))).toBe(true);

    // Routing: one rules decision per case; one manual release per triaged case.
    const routings = await this.query<{ case_id: string; origin: string; n: number }>(
      'routing',
      'SELECT case_id, origin, count(*)::int AS n FROM routing_decisions GROUP BY case_id, origin',
    );
    // Other suites' events may reach these consumer groups too: only this run's cases count.
    const ours = routings.filter((r) => caseIds.has(r.case_id));
    const byRules = ours.filter((r) => r.origin === 'rules');
    expect(byRules.length).toBe(caseIds.size);
    expect(ours.filter((r) => r.n !== 1)).toEqual([]);

    // Approval and delivery: one case.decided per case, one parcel per approved case.
    const distinctEvents = (type: string) => {
      const ids = new Map<string, Set<string>>();
      for (const message of this.recorder.messages) {
        if (message.topic !== type || !message.key || !caseIds.has(message.key)) continue;
        const event = JSON.parse(message.value) as { eventId: string };
        if (!ids.has(message.key)) ids.set(message.key, new Set());
        ids.get(message.key)!.add(event.eventId);
      }
      return ids;
    };
    await expectEventually(() => expect(distinctEvents(TOPICS.caseDecided).size).toBe(caseIds.size), {
      timeoutMs: 30000,
    });
    const decided = distinctEvents(TOPICS.caseDecided);
    expect([...decided.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    expect([...distinctEvents(TOPICS.caseSubmitted).values()].filter((ids) => ids.size !== 1)).toEqual([]);
    const parcels = await this.query<{ case_id: string; n: number }>(
      'delivery',
      'SELECT case_id, count(*)::int AS n FROM parcels GROUP BY case_id',
    ).then((rows) => rows.filter((row) => caseIds.has(row.case_id)));
    const approved = results.filter((r) => r.plan.kind !== 'reject').length + bulkCaseIds.size;
    expect(parcels.length).toBe(approved);
    expect(parcels.filter((p) => p.n !== 1)).toEqual([]);

    // Per-case order: each case's events on a topic are in the order they happened.
    let outOfOrder = 0;
    const lastSeen = new Map<string, string>();
    for (const message of this.recorder.messages) {
      if (!message.key || !caseIds.has(message.key)) continue;
      const { occurredAt } = JSON.parse(message.value) as { occurredAt: string };
      const slot = `${message.topic}:${message.key}`;
      if ((lastSeen.get(slot) ?? '') > occurredAt) outOfOrder++;
      lastSeen.set(slot, occurredAt);
    }
    expect(outOfOrder).toBe(0);

    // Concurrent reviewers: of each race exactly one claim and one approval won.
    // (A race in which a request got no answer, its service being down, proves nothing either way.)
    const races = results.flatMap((r) =>
      r.race && ![...r.race.claims, ...r.race.approvals].includes(0) ? [r.race] : [],
    );
    const ok = (status: number) => status >= 200 && status < 300;
    const clean = races.filter(
      (race) => race.claims.filter(ok).length === 1 && race.approvals.filter(ok).length === 1,
    );
    expect(clean.length).toBe(races.length);

    const byKind = new Map<string, number>();
    for (const r of results) byKind.set(r.plan.kind, (byKind.get(r.plan.kind) ?? 0) + 1);
    this.say(
      `reconciliation: ${caseIds.size} accepted case(s) (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}${bulkCaseIds.size > 0 ? `, bulk 秒批 ${bulkCaseIds.size}` : ''}), ` +
        `all completed; ${byRules.length} rules routing decision(s), ${ours.length - byRules.length} triage release(s), ` +
        `${decided.size} case.decided (1 per case), ${parcels.length} parcel(s) (1 per approved case), ` +
        `0 out of order; ${races.length} concurrent reviewer race(s), each with exactly one winning claim and approval`,
    );
    for (const report of this.reports)
      this.say(
        `  ${report.fault}: in flight ${report.inFlightAtInjection}, started during ${report.casesDuring}, ${report.detail}`,
      );
  }
}
