import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { findDevUser } from '@tongban/auth';
import { TOPICS } from '@tongban/contracts';
import { AUTO_APPROVED_CLAIM_STAFF, autoApprovedPickupClaim } from '@tongban/service-testing';
import {
  ensurePrometheus,
  expectEventually,
  type PrometheusServer,
  startPrometheus,
  WORKSPACE_ROOT,
} from '@tongban/testing';
import { FaultRun } from './fault-run';
import { SERVICES } from './tongban-client';

/**
 * Overload (docs/operations.md#overload): the pipeline's sustained rate is measured first (16
 * clients posting 秒批 cases back to back for SATURATION_S), then twice that rate is offered for
 * OVERLOAD_S beside the journeys of the shared traffic generator. Intake accepts everything (it
 * does not shed load on lag: see the docs), the backlog drains by itself, a real Prometheus
 * evaluating deploy/prometheus/alerts.yml fires the lag and delay alerts while the backlog lasts
 * and resolves them after, and the reconciliation finds every case done once, in order.
 */
const BASE_PORT = 29481; // 29481-29490: clear of the other suites
const SATURATION_S = 20;
const OVERLOAD_S = 120;
const ALERTS = ['TongbanConsumerLagGrowing', 'TongbanCasesDelayed'] as const;
/** The lag alert's threshold in deploy/prometheus/alerts.yml. */
const LAG_THRESHOLD = 200;
const STAFF = findDevUser(AUTO_APPROVED_CLAIM_STAFF)!;

interface AlertState {
  readonly labels: { readonly alertname: string };
  readonly state: 'pending' | 'firing';
}

describe('overload: twice the sustained rate for two minutes', () => {
  let faults: FaultRun;
  let prometheus: PrometheusServer;
  const run = `overload${Date.now().toString(36)}`;
  const say = (line: string) => process.stdout.write(`overload: ${line}\n`);
  const bulk = new Set<string>();
  /** Answers asking to come back later (503: intake's database pool exhausted; 429: rate limits). */
  const retried = new Map<number, number>();
  let unanswered = 0;
  let lost = 0;

  beforeAll(async () => {
    ensurePrometheus();
    faults = await FaultRun.start({
      label: 'overload',
      basePort: BASE_PORT,
      run,
      say,
      topics: Object.values(TOPICS),
      intervalMs: 4000,
      // A journey started at the height of the backlog waits for it like every other case.
      journey: () => ({ poll: { timeoutMs: 900000, intervalMs: 1000 } }),
      // Intake answers 503 + Retry-After while every connection of its pool is busy: retried below.
      expectedServerErrors: [503],
    });
    prometheus = await startPrometheus(
      SERVICES.map((name) => `127.0.0.1:${faults.system.services[name].metricsPort}`),
      [path.join(WORKSPACE_ROOT, 'deploy/prometheus/alerts.yml')],
    );
  }, 240000);

  afterAll(async () => {
    await prometheus?.stop();
    await faults?.stop().catch((error: Error) => say(`stopping the system: ${error.message}`));
  }, 120000);

  /**
   * One 秒批 window-pickup case, submitted as the console does: a 503 or 429 is sent again with the
   * same Idempotency-Key once its Retry-After has passed, so a refusal delays the case but never
   * loses or doubles it. Its id is kept for the reconciliation.
   */
  async function submit(): Promise<void> {
    const key = `overload-${randomUUID()}`;
    const body = autoApprovedPickupClaim();
    for (let attempt = 1; attempt <= 30; attempt++) {
      const answer = await faults.client
        .call<{ caseId?: string }>('intake', 'POST', '/cases', STAFF, body, { 'idempotency-key': key })
        .catch(() => undefined);
      if (answer?.status === 201 && answer.body.caseId) {
        bulk.add(answer.body.caseId);
        return;
      }
      if (answer?.status === 503 || answer?.status === 429)
        retried.set(answer.status, (retried.get(answer.status) ?? 0) + 1);
      else unanswered++;
      await new Promise((resolve) => setTimeout(resolve, answer?.retryAfterMs ?? 1000));
    }
    lost++;
  }

  const parcelsOf = async (caseIds: ReadonlySet<string>) =>
    (
      await faults.query<{ n: number }>(
        'delivery',
        'SELECT count(*)::int AS n FROM parcels WHERE case_id = ANY($1)',
        [[...caseIds]],
      )
    )[0]!.n;

  const firing = async () =>
    new Set(
      (await prometheus.api<{ alerts: AlertState[] }>('alerts')).alerts
        .filter((alert) => alert.state === 'firing')
        .map((alert) => alert.labels.alertname),
    );

  /** The highest group lag on a topic Prometheus recorded over the run, or its latest value. */
  const maxLag = async (over: 'max_over_time' | 'last_over_time') => {
    const { result } = await prometheus.api<{ result: { value: [number, string] }[] }>(
      `query?query=${encodeURIComponent(`max(${over}((sum by (group, topic) (tongban_consumer_lag))[15m:2s]))`)}`,
    );
    return Number(result[0]?.value[1] ?? 0);
  };

  it('accepts every case, drains the backlog, fires the delay alert and resolves it', async () => {
    const t0 = Date.now();
    const end = t0 + SATURATION_S * 1000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < end) await submit();
      }),
    );
    const measured = new Set(bulk);
    await expectEventually(async () => expect(await parcelsOf(measured)).toBe(measured.size), {
      timeoutMs: 300000,
      intervalMs: 1000,
    });
    // Completed per second over saturation and drain: what the pipeline sustains, not what intake accepts.
    const sustained = measured.size / ((Date.now() - t0) / 1000);
    const rate = Math.max(2, Math.round(2 * sustained));
    say(
      `sustained ${sustained.toFixed(1)} cases/s (${measured.size} in ${((Date.now() - t0) / 1000).toFixed(0)} s); offering ${rate}/s for ${OVERLOAD_S} s`,
    );

    const seen = new Map<string, number>();
    const watch = setInterval(() => {
      firing()
        .then((names) => names.forEach((name) => seen.has(name) || seen.set(name, Date.now())))
        .catch(() => undefined);
    }, 2000);
    try {
      const start = Date.now();
      const submissions: Promise<void>[] = [];
      for (let n = 0; n < rate * OVERLOAD_S; n++) {
        const due = start + (n * 1000) / rate;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        submissions.push(submit());
      }
      await Promise.all(submissions);
      const loadEnded = Date.now();
      const offered = bulk.size - measured.size;
      await expectEventually(async () => expect(await parcelsOf(bulk)).toBe(bulk.size), {
        timeoutMs: 900000,
        intervalMs: 2000,
      });
      const drained = Date.now();
      await expectEventually(
        async () => {
          expect([...seen.keys()]).toContain('TongbanCasesDelayed');
          const now = await firing();
          for (const alert of ALERTS) expect(now.has(alert)).toBe(false);
          // The backlog as Prometheus saw it: past the lag alert's threshold, and back under it.
          expect(await maxLag('max_over_time')).toBeGreaterThan(LAG_THRESHOLD);
          expect(await maxLag('last_over_time')).toBeLessThanOrEqual(LAG_THRESHOLD);
        },
        { timeoutMs: 420000, intervalMs: 2000 },
      );
      say(
        `${offered} case(s) accepted during the overload; answers asking to retry: ${JSON.stringify(Object.fromEntries(retried))}, ` +
          `${unanswered} other failure(s); backlog drained ${((drained - loadEnded) / 1000).toFixed(0)} s after the load stopped; ` +
          ALERTS.map((alert) =>
            seen.has(alert)
              ? `${alert} fired ${((seen.get(alert)! - start) / 1000).toFixed(0)} s into the overload`
              : `${alert} did not fire`,
          ).join(', ') +
          `; consumer lag peaked at ${await maxLag('max_over_time')}` +
          `; all resolved ${((Date.now() - drained) / 1000).toFixed(0)} s after the drain`,
      );
      // Every case was accepted in the end, each exactly once (the reconciliation checks once).
      expect(lost).toBe(0);
      expect(unanswered).toBe(0);
    } finally {
      clearInterval(watch);
    }
  }, 1800000);

  it('reconciles every accepted case: none lost, none processed twice, per-case order intact', async () => {
    await faults.reconcile(bulk);
  }, 300000);
});
