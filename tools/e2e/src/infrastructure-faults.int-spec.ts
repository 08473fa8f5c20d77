import { TOPICS } from '@tongban/contracts';
import { scrapeMetric, type TongbanSystem } from '@tongban/service-testing';
import { expectEventually, OwnedPostgres, OwnedRedis } from '@tongban/testing';
import { FaultRun, readiness } from './fault-run';
import { SERVICES, type ServiceName, type TongbanClient } from './tongban-client';

/**
 * The database and Redis crash, for real, under traffic: the built services run on a
 * PostgreSQL cluster and a redis-server this suite owns (the shared servers are never touched).
 * PostgreSQL is shut down fast and, separately, SIGKILLed with all its processes (crash recovery
 * on restart), each time down for OUTAGE_MS while the services keep running; Redis is SIGKILLed
 * and restarted empty. While the database is down every service says so on /health/ready and
 * intake answers 503 with Retry-After instead of hanging or failing with 500; afterwards every
 * case answered 201 completes, and the run is reconciled like the fault suite's.
 */
const OUTAGE_MS = 30000;
const REDIS_OUTAGE_MS = 10000;
const TRAFFIC_INTERVAL_MS = 1500;
const PG_PORT = 55433;
const REDIS_PORT = 56380;
/** intake's APPLICANT_PROOF_ATTEMPTS default, which the test kit leaves alone. */
const PROOF_ATTEMPTS = 10;
const ALL_TOPICS = Object.values(TOPICS);

describe('PostgreSQL and Redis crash and restart under traffic', () => {
  let pg: OwnedPostgres;
  let redis: OwnedRedis;
  let system: TongbanSystem;
  let client: TongbanClient;
  let faults: FaultRun;
  const run = `infra${Date.now().toString(36)}`;
  const say = (line: string) => process.stdout.write(`infrastructure-faults: ${line}\n`);
  /** tongban_dependency_up of a service for a dependency, as Prometheus would scrape it. */
  const dependencyUp = (name: ServiceName, dependency: 'postgres' | 'redis') =>
    scrapeMetric(`http://127.0.0.1:${system.services[name].metricsPort}/metrics`, 'tongban_dependency_up', {
      dependency,
    });

  beforeAll(async () => {
    pg = await OwnedPostgres.create(PG_PORT);
    redis = await OwnedRedis.create(REDIS_PORT);
    faults = await FaultRun.start({
      label: 'infra',
      basePort: 29461,
      run,
      say,
      postgresUrl: pg.url,
      redisUrl: redis.url,
      env: { CONSUMER_MAX_ATTEMPTS: '5' },
      topics: ALL_TOPICS,
      intervalMs: TRAFFIC_INTERVAL_MS,
      journey: (kind, n) => ({
        failedAttempts: kind === 'door' && n % 2 === 0 ? 1 : 0,
        poll: { timeoutMs: OUTAGE_MS + 90000, intervalMs: 300 },
      }),
      // 503s while the database is down are the behaviour under test.
      expectedServerErrors: [503],
    });
    ({ system, client } = faults);
  }, 240000);

  afterAll(async () => {
    await faults?.stop().catch((error: Error) => say(`stopping the system: ${error.message}`));
    await pg?.destroy();
    await redis?.destroy();
  }, 120000);

  /**
   * While the database is down for OUTAGE_MS: every service's readiness names it, and every
   * answer intake gives is a 503 with Retry-After, never a 500 and never a hang (15 s client timeout).
   */
  async function databaseDown(stoppedAt: number): Promise<string> {
    const reported = new Set<ServiceName>();
    await expectEventually(
      async () => {
        for (const name of SERVICES) {
          const answer = await readiness(system.services[name]);
          if (
            answer.status === 503 &&
            /postgres|database/i.test(answer.text) &&
            (await dependencyUp(name, 'postgres')) === 0
          )
            reported.add(name);
        }
        expect([...reported].sort()).toEqual([...SERVICES].sort());
        expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(OUTAGE_MS);
      },
      { timeoutMs: OUTAGE_MS + 60000, intervalMs: 500 },
    );
    const during = client.errors.filter(
      (error) => error.service === 'intake' && error.at >= stoppedAt && error.status >= 500,
    );
    const refused = during.filter((error) => error.method === 'POST' && error.path === '/cases');
    expect(during.filter((error) => error.status !== 503)).toEqual([]);
    expect(during.filter((error) => !/"retryAfterSeconds":\s*\d/.test(error.text))).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    expect(client.timeouts.filter((call) => call.service === 'intake' && call.at >= stoppedAt)).toEqual([]);
    return `all services answered readiness 503 naming the database and reported tongban_dependency_up{dependency="postgres"} 0; intake answered ${during.length} call(s) with 503 + Retry-After (${refused.length} POST /cases), none with another 5xx`;
  }

  it('PostgreSQL shut down fast, down 30 s, started again', async () => {
    await faults.withTraffic();
    await faults.fault(`PostgreSQL fast shutdown, ${OUTAGE_MS / 1000} s down`, async () => {
      // Counted from before the stop: answers given while the server shuts down belong to the outage.
      const stoppedAt = Date.now();
      await pg.stopFast();
      try {
        return await databaseDown(stoppedAt);
      } finally {
        await pg.start();
      }
    });
  }, 360000);

  it('PostgreSQL SIGKILLed with every server process, down 30 s, crash recovery on start', async () => {
    await faults.withTraffic();
    await faults.fault(`PostgreSQL SIGKILL, ${OUTAGE_MS / 1000} s down`, async () => {
      // Counted from before the stop: answers given while the server shuts down belong to the outage.
      const stoppedAt = Date.now();
      await pg.kill();
      try {
        return await databaseDown(stoppedAt);
      } finally {
        await pg.start();
        expect(pg.log()).toMatch(/not properly shut down; automatic recovery in progress/);
      }
    });
  }, 360000);

  /**
   * Tracking tries one receipt got before intake answered 429: its per-receipt proof budget
   * (APPLICANT_PROOF_ATTEMPTS, 10 by default), kept in Redis. The receipt names no case, and
   * misses count too.
   */
  async function triesBeforeLockout(receipt: string): Promise<number> {
    for (let tries = 0; tries < 100; tries++) {
      const answer = await client.call('intake', 'POST', '/cases/track', undefined, {
        receipt,
        phoneLast4: '0000',
      });
      if (answer.status === 429) return tries;
      expect(answer.status).toBe(404);
    }
    return 100;
  }
  const receiptNumber = (n: number) =>
    `440306001-20261205-${900000 + n}${String(Date.now() % 1000).padStart(3, '0')}`;

  it('Redis SIGKILLed and restarted empty', async () => {
    await faults.withTraffic();
    // Locked in Redis before the outage: what the in-process fallback and the empty restart forget.
    const locked = receiptNumber(1);
    expect(await triesBeforeLockout(locked)).toBe(PROOF_ATTEMPTS);
    let budgets = '';
    await faults.fault(`Redis SIGKILL, ${REDIS_OUTAGE_MS / 1000} s down`, async () => {
      await redis.kill();
      const stoppedAt = Date.now();
      try {
        // Everything kept in Redis falls back in process: every service stays ready, saying Redis
        // is away on readiness and in tongban_dependency_up (which TongbanRedisUnreachable alerts on).
        const reported = new Set<ServiceName>();
        const unready: string[] = [];
        await expectEventually(
          async () => {
            for (const name of SERVICES) {
              const answer = await readiness(system.services[name]);
              if (answer.status !== 200)
                unready.push(`${name} ${answer.status} ${answer.text.slice(0, 200)}`);
              const redisUp = await dependencyUp(name, 'redis');
              if (/"redis":\{[^}]*"reachable":false/.test(answer.text) && redisUp === 0) reported.add(name);
            }
            expect([...reported].sort()).toEqual([...SERVICES].sort());
            expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(REDIS_OUTAGE_MS);
          },
          { timeoutMs: REDIS_OUTAGE_MS + 60000, intervalMs: 500 },
        );
        expect(unready).toEqual([]);
        // One intake instance: the fallback keeps the same budget per receipt, counted afresh.
        const fresh = await triesBeforeLockout(receiptNumber(2));
        const lockedDuring = await triesBeforeLockout(locked);
        expect(fresh).toBe(PROOF_ATTEMPTS);
        expect(lockedDuring).toBe(PROOF_ATTEMPTS);
        budgets = `a new receipt got ${fresh} tracking tries during the outage; one locked before it got ${lockedDuring} more`;
        const during = client.errors.filter((error) => error.at >= stoppedAt && error.status >= 500);
        const started = faults.traffic.trips.filter((trip) => trip.startedAt >= stoppedAt).length;
        return `every service stayed ready, reporting Redis unreachable (readiness and tongban_dependency_up 0); ${started} case(s) started while it was down; ${during.length} 5xx answer(s) meanwhile; ${budgets}`;
      } finally {
        await redis.start();
        await expectEventually(
          async () => {
            for (const name of SERVICES) expect(await dependencyUp(name, 'redis')).toBe(1);
          },
          { timeoutMs: 30000, intervalMs: 500 },
        );
      }
    });
    // Redis came back empty: the receipt locked twice now has a whole budget again.
    const afterRestart = await triesBeforeLockout(locked);
    expect(afterRestart).toBe(PROOF_ATTEMPTS);
    say(
      `Redis outage, what the fallback let through: a receipt locked before the outage got ${PROOF_ATTEMPTS} more tracking tries during it and ${afterRestart} after the empty restart (${3 * PROOF_ATTEMPTS} instead of ${PROOF_ATTEMPTS}, with one intake instance)`,
    );
  }, 240000);

  it('reconciles every accepted case: none lost, none processed twice, per-case order intact', async () => {
    await faults.reconcile();
  }, 240000);
});
