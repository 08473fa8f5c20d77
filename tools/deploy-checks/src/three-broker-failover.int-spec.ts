import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { devAuthEnv, devAuthKeys, findDevUser, mintDevToken } from '@tongban/auth';
import { SERVICE_NAMES, type ServiceName } from '@tongban/config';
import { TOPICS } from '@tongban/contracts';
import { devPiiEnv } from '@tongban/pii';
import {
  AUTO_APPROVED_CLAIM_STAFF,
  autoApprovedPickupClaim,
  ServiceProcess,
  startTestSmsGateway,
} from '@tongban/service-testing';
import type { LocalSmsGateway } from '@tongban/sms';
import {
  createTestDatabase,
  expectEventually,
  startGroupAtEnd,
  testEnvironment,
  type TestDatabase,
  WORKSPACE_ROOT,
} from '@tongban/testing';
import { CLUSTER_BROKERS, cluster, moveLeaders } from './local-cluster';
import { type Hop, OUTBOX_ROW_PUBLISHED, stuckAtHop } from './stuck-case-evidence';

/*
 * Scale-out under faults: two instances of each of the four BUILT services on the three-broker
 * cluster (RF 3, min ISR 2). Under a steady stream of 秒批 cases (失业保险金申领, auto-approved,
 * window pickup) it SIGKILLs one broker and one instance of every service at once, keeps the load
 * going, restarts them, then moves the leader of every partition of every project topic to another
 * broker (a preferred-leader election after rotating replica lists), and reconciles every accepted
 * case across the four databases.
 */

// Below Linux's ephemeral range (32768-60999): a client socket can never hold a service's port.
const BASE_PORT = 29400; // instance i of service s: BASE_PORT + 20 * i + index of s, its metrics 6 above
const INSTANCES = 2;
const WORKERS = 4; // concurrent HTTP clients
const RATE = 20; // cases per second offered (intake alone takes far more; this is what the pipeline keeps up with)
const BEFORE_FAULT = 60; // cases accepted before the fault
const DURING_FAULT = 200; // cases accepted while a broker and one instance of each are down
const AFTER_RESTART = 100; // cases accepted after everything is back
const AFTER_LEADER_MOVE = 100; // cases accepted once every partition leader moved to another broker
const BROKER_TO_KILL = 2;

const say = (line: string) => process.stdout.write(`[cluster-check] ${line}\n`);

describe('three brokers, two instances per service: a broker and one instance of each die under load', () => {
  const startedAt = Date.now();
  const databases = {} as Record<ServiceName, TestDatabase>;
  const clients = {} as Record<ServiceName, Client>;
  const envs = {} as Record<ServiceName, Record<string, string>>;
  const instances: { process: ServiceProcess; index: number }[] = [];
  let clusterWasRunning = true;
  let sms: LocalSmsGateway | undefined;

  beforeAll(async () => {
    for (const name of SERVICE_NAMES) {
      const main = path.join(WORKSPACE_ROOT, `dist/services/${name}/src/main.js`);
      if (!existsSync(main))
        throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    }
    clusterWasRunning = await cluster.running();
    const t0 = Date.now();
    await cluster.start();
    say(
      `cluster ${CLUSTER_BROKERS.join(',')} ready in ${Date.now() - t0} ms (was running: ${clusterWasRunning})`,
    );

    const t2 = Date.now();
    const stack = testEnvironment();
    const keys = await devAuthKeys();
    const pii = await devPiiEnv();
    const suffix = Date.now().toString(36);
    // The notification service sends the cases' texts to a local gateway (in this process).
    const gateway = await startTestSmsGateway();
    sms = gateway.gateway;
    for (const name of SERVICE_NAMES) {
      databases[name] = await createTestDatabase(stack.postgresUrl, `cluster_${name}`);
      envs[name] = {
        ...devAuthEnv(keys),
        ...pii,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databases[name].url,
        DATABASE_POOL_SIZE: '4',
        KAFKA_BROKERS: CLUSTER_BROKERS.join(','),
        KAFKA_GROUP_ID: `tongban-${name}-cluster-${suffix}`,
        REDIS_URL: stack.redisUrl,
        AUTH_RATE_LIMIT_MAX_REQUESTS: '1000000',
        SHUTDOWN_TIMEOUT_MS: '5000',
        ...gateway.env,
      };
      await new ServiceProcess(name, 0, envs[name], databases[name]).migrate();
      clients[name] = new Client({ connectionString: databases[name].url });
      await clients[name].connect();
    }
    say(`4 databases created and migrated in ${Date.now() - t2} ms`);
    const t3 = Date.now();
    await Promise.all(
      SERVICE_NAMES.map((name) =>
        startGroupAtEnd(envs[name]['KAFKA_GROUP_ID']!, Object.values(TOPICS), CLUSTER_BROKERS),
      ),
    );
    say(`4 consumer groups set to the end of every topic in ${Date.now() - t3} ms`);
    for (let index = 0; index < INSTANCES; index++)
      for (const [offset, service] of SERVICE_NAMES.entries()) {
        const port = BASE_PORT + 20 * index + offset;
        const process = new ServiceProcess(
          service,
          port,
          {
            ...envs[service],
            PORT: String(port),
            // Clear of every instance's API port (BASE_PORT + 20 * i + 0..5).
            METRICS_PORT: String(port + SERVICE_NAMES.length),
            KAFKA_CLIENT_ID: `tongban-${service}-${index}`,
          },
          databases[service],
        );
        void process.start();
        instances.push({ process, index });
      }
    const t1 = Date.now();
    await Promise.all(instances.map(({ process }) => process.ready(120000)));
    say(`${instances.length} service instances ready in ${Date.now() - t1} ms`);
  }, 300000);

  afterAll(async () => {
    const t0 = Date.now();
    await Promise.all(instances.map(({ process }) => process.stop(15000)));
    say(`instances stopped in ${Date.now() - t0} ms`);
    await Promise.all(Object.values(clients).map((client) => client.end().catch(() => undefined)));
    await Promise.all(Object.values(databases).map((database) => database.drop()));
    await sms?.close();
    // a node this run killed is restarted by the test; the cluster stays only if it was running before
    if (!clusterWasRunning) await cluster.stop();
    say(`total ${Date.now() - startedAt} ms`);
  }, 120000);

  it('accepts every case, loses none and processes none twice', async () => {
    const token = await mintDevToken(findDevUser(AUTO_APPROVED_CLAIM_STAFF)!, await devAuthKeys());
    const accepted = new Map<string, string>(); // Idempotency-Key -> caseId
    let attempts = 0;
    let retried = 0;
    let stopping = false;
    let next = 0;

    const intakeUrls = () =>
      instances
        .filter(({ process }) => process.name === 'intake' && process.running)
        .map(({ process }) => process.baseUrl);

    /** One case: retried with its Idempotency-Key, on the other intake instance, until answered 201. */
    const submitOne = async () => {
      const key = `cluster-${randomUUID()}`;
      const body = JSON.stringify(autoApprovedPickupClaim());
      const caseId = await expectEventually(
        async () => {
          const urls = intakeUrls();
          const url = urls[(next++ + attempts) % urls.length]!;
          attempts++;
          const response = await fetch(`${url}/cases`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            body,
            signal: AbortSignal.timeout(15000),
          }).catch((error: Error) => {
            retried++;
            throw error;
          });
          const answer = (await response.json()) as { caseId?: string };
          if (response.status !== 201 || !answer.caseId) {
            retried++;
            throw new Error(`POST /cases answered ${response.status}: ${JSON.stringify(answer)}`);
          }
          return answer.caseId;
        },
        { timeoutMs: 90000, intervalMs: 250 },
      );
      accepted.set(key, caseId);
    };
    // paced: the n-th case is offered at loadStart + n / RATE s
    let offered = 0;
    const worker = async () => {
      while (!stopping) {
        const due = loadStart + (offered++ * 1000) / RATE;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        if (!stopping) await submitOne();
      }
    };
    const reached = (count: number, timeoutMs: number) =>
      expectEventually(
        () => {
          if (accepted.size < count) throw new Error(`${accepted.size} of ${count} cases accepted`);
        },
        { timeoutMs, intervalMs: 100 },
      );
    const parcelCount = async () =>
      Number((await clients.delivery.query<{ n: string }>('SELECT count(*) AS n FROM parcels')).rows[0]!.n);

    const loadStart = Date.now();
    const workers = Array.from({ length: WORKERS }, worker);

    // ---- phase 1: all up
    await reached(BEFORE_FAULT, 120000);

    // ---- the fault: one broker and the second instance of every service, SIGKILLed together
    const victims = instances.filter((i) => i.index === 1);
    const acceptedAtFault = accepted.size;
    const inFlightAtFault = acceptedAtFault - (await parcelCount());
    const faultAt = Date.now();
    const killed = victims.map(({ process }) => process.kill('SIGKILL'));
    await cluster.kill(BROKER_TO_KILL);
    await Promise.all(killed);
    say(
      `fault after ${faultAt - loadStart} ms: broker ${BROKER_TO_KILL} and ${victims.length} instances SIGKILLed; ` +
        `${acceptedAtFault} cases accepted, ${inFlightAtFault} of them in flight (no parcel yet)`,
    );

    // ---- phase 2: degraded (2 brokers, one instance of each service)
    await reached(acceptedAtFault + DURING_FAULT, 180000);
    const acceptedWhileDown = accepted.size - acceptedAtFault;

    // ---- restart
    const restartAt = Date.now();
    await cluster.start(BROKER_TO_KILL);
    for (const { process } of victims) void process.start();
    await Promise.all(victims.map(({ process }) => process.ready(120000)));
    const acceptedAtRestart = accepted.size;
    say(`restarted broker ${BROKER_TO_KILL} and ${victims.length} instances in ${Date.now() - restartAt} ms`);

    // ---- phase 3: all up again
    await reached(acceptedAtRestart + AFTER_RESTART, 120000);

    // ---- phase 4: every partition's leader moves to another broker under load
    const moveAt = Date.now();
    const acceptedAtMove = accepted.size;
    const moved = await moveLeaders(Object.values(TOPICS));
    say(`moved the leaders of ${moved} partitions in ${Date.now() - moveAt} ms, under load`);
    await reached(acceptedAtMove + AFTER_LEADER_MOVE, 120000);
    stopping = true;
    await Promise.all(workers);
    const loadMs = Date.now() - loadStart;
    const caseIds = [...accepted.values()];
    say(
      `load: ${caseIds.length} cases accepted in ${loadMs} ms (${attempts} POSTs, ${retried} retried), ` +
        `${acceptedWhileDown} while degraded`,
    );

    // ---- reconcile every accepted case across the four databases
    const reconcileStart = Date.now();
    const perCase = async (service: ServiceName, sql: string) => {
      const { rows } = await clients[service].query<{ case_id: string; n: string }>(sql, [caseIds]);
      return new Map(rows.map((row) => [row.case_id, Number(row.n)]));
    };
    const missing = (counts: Map<string, number>) => caseIds.filter((id) => !counts.has(id));
    // How far a case got: each service's decision and whether its announcement left the outbox.
    const whereStuck = async (ids: readonly string[]) => {
      const stage = async (service: ServiceName, topic: string) => {
        const { rows } = await clients[service].query<{ key: string; published: boolean }>(
          `SELECT o.message_key AS key, ${OUTBOX_ROW_PUBLISHED} AS published
             FROM outbox o WHERE o.topic = $1 AND o.message_key = ANY($2)`,
          [topic, ids],
        );
        return new Map(rows.map((row) => [row.key, row.published ? 'published' : 'unpublished']));
      };
      const [submitted, routed, decided] = await Promise.all([
        stage('intake', 'case.submitted'),
        stage('routing', 'case.routed'),
        stage('approval', 'case.decided'),
      ]);
      return ids
        .map(
          (id) =>
            `${id} submitted=${submitted.get(id) ?? 'none'} routed=${routed.get(id) ?? 'none'} decided=${decided.get(id) ?? 'none'}`,
        )
        .join('; ');
    };
    /** The furthest hop whose event left its outbox, per case. */
    const lastAnnounced = async (ids: readonly string[]) => {
      const furthest = new Map<string, string>();
      const order: [ServiceName, string][] = [
        ['intake', TOPICS.caseSubmitted],
        ['routing', TOPICS.caseRouted],
        ['approval', TOPICS.caseDecided],
      ];
      for (const [service, topic] of order) {
        const { rows } = await clients[service].query<{ key: string }>(
          `SELECT o.message_key AS key FROM outbox o WHERE o.topic = $1 AND o.message_key = ANY($2)
              AND ${OUTBOX_ROW_PUBLISHED}`,
          [topic, ids],
        );
        for (const row of rows) furthest.set(row.key, topic);
      }
      return furthest;
    };
    await expectEventually(
      async () => {
        const parcels = await perCase(
          'delivery',
          'SELECT case_id::text, count(*) AS n FROM parcels WHERE case_id = ANY($1::uuid[]) GROUP BY case_id',
        );
        const lost = missing(parcels);
        if (lost.length > 0) {
          throw new Error(
            `${lost.length} accepted cases have no parcel yet: ${await whereStuck(lost.slice(0, 5))}`,
          );
        }
      },
      { timeoutMs: 180000, intervalMs: 1000 },
    ).catch(async (error: Error) => {
      // Once, with everything still running: where on Kafka the stuck cases' last events are.
      const parcels = await perCase(
        'delivery',
        'SELECT case_id::text, count(*) AS n FROM parcels WHERE case_id = ANY($1::uuid[]) GROUP BY case_id',
      );
      const stuck = missing(parcels);
      const lastPublished = await lastAnnounced(stuck);
      const hops: Hop[] = [
        {
          topic: TOPICS.caseSubmitted,
          producer: clients.intake,
          consumer: clients.routing,
          consumerGroupId: envs.routing['KAFKA_GROUP_ID']!,
        },
        {
          topic: TOPICS.caseRouted,
          producer: clients.routing,
          consumer: clients.approval,
          consumerGroupId: envs.approval['KAFKA_GROUP_ID']!,
        },
        {
          topic: TOPICS.caseDecided,
          producer: clients.approval,
          consumer: clients.delivery,
          consumerGroupId: envs.delivery['KAFKA_GROUP_ID']!,
        },
      ];
      const evidence: string[] = [
        `fault at ${new Date(faultAt).toISOString()}, restart at ${new Date(restartAt).toISOString()}, ` +
          `leaders moved at ${new Date(moveAt).toISOString()}`,
      ];
      for (const hop of hops) {
        const ids = stuck.filter((id) => lastPublished.get(id) === hop.topic).slice(0, 10);
        if (ids.length === 0) continue;
        evidence.push(
          await stuckAtHop({ brokers: CLUSTER_BROKERS, caseIds: ids, hop }).catch(
            (failure: Error) => `${hop.topic}: (no evidence: ${failure.message})`,
          ),
        );
      }
      const unannounced = stuck.filter((id) => !lastPublished.has(id));
      if (unannounced.length > 0)
        evidence.push(`no published event at all: ${unannounced.slice(0, 10).join(', ')}`);
      say(`stuck cases, evidence:\n${evidence.join('\n')}`);
      const logDir = path.join(WORKSPACE_ROOT, 'dist/test-artifacts/cluster');
      mkdirSync(logDir, { recursive: true });
      for (const { process, index } of instances)
        writeFileSync(path.join(logDir, `${process.name}-${index}.log`), process.log.join(''));
      say(`service logs: ${logDir}`);
      throw error;
    });
    const reconcileMs = Date.now() - reconcileStart;

    const intakeCases = await perCase(
      'intake',
      'SELECT id::text AS case_id, count(*) AS n FROM cases WHERE id = ANY($1::uuid[]) GROUP BY id',
    );
    const allIntakeCases = Number(
      (await clients.intake.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]!.n,
    );
    const routings = await perCase(
      'routing',
      `SELECT case_id::text, count(*) AS n FROM routing_decisions WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
    );
    const routedEvents = await perCase(
      'routing',
      `SELECT message_key AS case_id, count(*) AS n FROM outbox
        WHERE topic = '${TOPICS.caseRouted}' AND message_key = ANY($1::text[]) GROUP BY message_key`,
    );
    const decisions = await perCase(
      'approval',
      `SELECT case_id::text, count(*) AS n FROM approval_cases
        WHERE case_id = ANY($1::uuid[]) AND outcome = 'approved' AND decided_at IS NOT NULL GROUP BY case_id`,
    );
    const decidedEvents = await perCase(
      'approval',
      `SELECT message_key AS case_id, count(*) AS n FROM outbox
        WHERE topic = '${TOPICS.caseDecided}' AND message_key = ANY($1::text[]) GROUP BY message_key`,
    );
    const parcels = await perCase(
      'delivery',
      'SELECT case_id::text, count(*) AS n FROM parcels WHERE case_id = ANY($1::uuid[]) GROUP BY case_id',
    );
    const table = { intakeCases, routings, routedEvents, decisions, decidedEvents, parcels };
    const summary = Object.fromEntries(
      Object.entries(table).map(([name, counts]) => [
        name,
        {
          cases: counts.size,
          missing: missing(counts).length,
          twice: [...counts.values()].filter((n) => n !== 1).length,
        },
      ]),
    );
    say(
      `reconciled ${caseIds.length} cases in ${reconcileMs} ms after the load ended ` +
        `(accepted ${caseIds.length}, in flight at the fault ${inFlightAtFault}, intake rows ${allIntakeCases}): ` +
        JSON.stringify(summary),
    );

    expect(new Set(caseIds).size).toBe(caseIds.length);
    expect(allIntakeCases).toBe(caseIds.length); // nothing accepted that the clients did not see
    for (const [name, counts] of Object.entries(table)) {
      expect({ name, missing: missing(counts) }).toEqual({ name, missing: [] });
      expect({ name, twice: [...counts].filter(([, n]) => n !== 1) }).toEqual({ name, twice: [] });
    }
  }, 900000);
});
