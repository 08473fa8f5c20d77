import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findDevUser, mintDevToken } from '@tongban/auth';
import { SERVICE_NAMES } from '@tongban/config';
import { TOPICS } from '@tongban/contracts';
import { AUTO_APPROVED_CLAIM_STAFF, TongbanSystem } from '@tongban/service-testing';
import { expectEventually, testEnvironment, WORKSPACE_ROOT } from '@tongban/testing';
import { Client } from 'pg';
import { positiveOption } from '../cli-options';
import { gitInfo, kafkaVersionFromPom, machineInfo, round } from '../bench-report';
import { benchKafka, checkKafka, checkPostgres, localBrokerFiles } from '../bench-stack';
import { distribution } from '../latency-distribution';
import {
  type CaseTimeline,
  caseTimelines,
  completionRate,
  hopLatencies,
  type PipelineStamps,
} from './hop-timeline';
import { kafkaProducerPerf, pgbenchRoutingHop } from './machine-limits';
import {
  type PhaseResult,
  type PipelineReport,
  pipelineSummary,
  writePipelineReport,
} from './pipeline-report';
import { Load } from './load';
import { type GroupUsage, pidsByCommand, ProcessSampler } from './process-sampler';

const USAGE = `Usage: npm run bench -- [options]

Saturates the four built services (npm run build first; npm test does) with 秒批 + window-pickup
cases on the running local stack, then measures the machine's limits with Kafka's producer
performance tool and pgbench, and writes bench/results/<date>.md and .json.

  --clients N           concurrent clients in the saturation phase (16)
  --warmup-seconds N    closed-loop warm-up, not measured (15)
  --seconds N           saturation window (60)
  --latency-seconds N   paced latency phase (30)
  --latency-share X     its rate as a share of the measured throughput (0.7)
  --pgbench-seconds N   each pgbench run (15)
  --producer-records N  records for Kafka's ProducerPerformance (200000)
  --skip-limits         leave out pgbench and ProducerPerformance
  --set NAME=VALUE      service setting for this run (repeatable), e.g. --set DATABASE_POOL_SIZE=4
  --label NAME          names the run in the report (tuned)
  --name NAME           report file name without extension (<date>)
  --before FILE         an earlier report (.json) to compare with, embedded in this one
  --out-dir DIR         where the report goes (bench/results)
`;

const BASE_PORT = 29700;

interface Options {
  readonly clients: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly latencySeconds: number;
  readonly latencyShare: number;
  readonly pgbenchSeconds: number;
  readonly producerRecords: number;
  readonly skipLimits: boolean;
  readonly serviceEnv: Record<string, string>;
  readonly label: string;
  readonly name?: string;
  readonly before?: string;
  readonly outDir: string;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string', default: '16' },
      'warmup-seconds': { type: 'string', default: '15' },
      seconds: { type: 'string', default: '60' },
      'latency-seconds': { type: 'string', default: '30' },
      'latency-share': { type: 'string', default: '0.7' },
      'pgbench-seconds': { type: 'string', default: '15' },
      'producer-records': { type: 'string', default: '200000' },
      'skip-limits': { type: 'boolean', default: false },
      set: { type: 'string', multiple: true, default: [] },
      label: { type: 'string', default: 'tuned' },
      name: { type: 'string' },
      before: { type: 'string' },
      'out-dir': { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const serviceEnv: Record<string, string> = {};
  for (const setting of values.set) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(setting);
    if (!match) throw new Error(`--set takes NAME=VALUE, got "${setting}"`);
    serviceEnv[match[1]!] = match[2]!;
  }
  return {
    clients: positiveOption('clients', values.clients),
    warmupSeconds: positiveOption('warmup-seconds', values['warmup-seconds']),
    seconds: positiveOption('seconds', values.seconds),
    latencySeconds: positiveOption('latency-seconds', values['latency-seconds']),
    latencyShare: positiveOption('latency-share', values['latency-share']),
    pgbenchSeconds: positiveOption('pgbench-seconds', values['pgbench-seconds']),
    producerRecords: positiveOption('producer-records', values['producer-records']),
    skipLimits: values['skip-limits'],
    serviceEnv,
    label: values.label,
    name: values.name,
    before: values.before,
    outDir: values['out-dir'],
  };
}

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);

/** Reads the four databases' timestamps for the given cases. */
async function readStamps(clients: Record<string, Client>, caseIds: string[]): Promise<PipelineStamps> {
  const outbox = async (service: string, topic: string) =>
    (
      await clients[service]!.query<{ case_id: string; event_id: string; created_at: Date }>(
        `SELECT message_key AS case_id, event_id, created_at
           FROM outbox WHERE topic = $1 AND message_key = ANY($2)`,
        [topic, caseIds],
      )
    ).rows.map((row) => ({
      caseId: row.case_id,
      eventId: row.event_id,
      createdAt: row.created_at,
      // Publication is not stamped on the row (the relay deletes its id from outbox_pending), so
      // the relay hops are not measured; reports embedded with --before may still carry them.
      publishedAt: null,
    }));
  const consumed = async (service: string, topic: string) =>
    (
      await clients[service]!.query<{ event_id: string; processed_at: Date }>(
        'SELECT event_id, processed_at FROM processed_events WHERE topic = $1',
        [topic],
      )
    ).rows.map((row) => ({ eventId: row.event_id, processedAt: row.processed_at }));
  return {
    submitted: await outbox('intake', TOPICS.caseSubmitted),
    routingConsumed: await consumed('routing', TOPICS.caseSubmitted),
    routed: await outbox('routing', TOPICS.caseRouted),
    approvalConsumed: await consumed('approval', TOPICS.caseRouted),
    decided: await outbox('approval', TOPICS.caseDecided),
    deliveryConsumed: await consumed('delivery', TOPICS.caseDecided),
    parcelCreated: await outbox('delivery', TOPICS.deliveryUpdated),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
  const root = WORKSPACE_ROOT;
  const startedAt = new Date();
  const machine = machineInfo();
  const stack = testEnvironment();
  const postgresVersion = await checkPostgres(stack.postgresUrl);
  const admin = benchKafka(stack.kafkaBrokers, 'tongban-bench-admin').admin();
  const partitions = await checkKafka(admin, stack.kafkaBrokers, TOPICS.caseSubmitted);
  const before = options.before
    ? (JSON.parse(readFileSync(options.before, 'utf8')) as PipelineReport)
    : undefined;
  if (before && before.benchmark !== 'pipeline')
    throw new Error(`${options.before} is not a pipeline report`);

  const system = await TongbanSystem.start({
    label: 'bench',
    basePort: BASE_PORT,
    env: { LOG_LEVEL: 'warn', ...options.serviceEnv },
    progress: say,
  });
  const clients: Record<string, Client> = {};
  try {
    for (const name of SERVICE_NAMES) {
      clients[name] = new Client({ connectionString: system.services[name].database.url });
      await clients[name].connect();
    }
    const parcels = async () =>
      Number(
        (await clients['delivery']!.query<{ n: string }>('SELECT count(*) AS n FROM parcels')).rows[0]!.n,
      );
    const token = await mintDevToken(findDevUser(AUTO_APPROVED_CLAIM_STAFF)!, system.keys);
    const { pidFile } = localBrokerFiles(root);
    const brokerPid = () => (existsSync(pidFile) ? [Number(readFileSync(pidFile, 'utf8').trim())] : []);
    const groups = [
      ...SERVICE_NAMES.map((name) => ({
        name,
        pids: () => {
          const pid = system.services[name].pid;
          return pid ? [pid] : [];
        },
      })),
      { name: 'kafka broker', pids: brokerPid },
      { name: 'postgresql (all backends)', pids: () => pidsByCommand('postgres') },
      { name: 'redis', pids: () => pidsByCommand('redis-server') },
      { name: 'load generator (this bench)', pids: () => [process.pid] },
    ];
    const drain = async (expected: number) => {
      const t0 = Date.now();
      await expectEventually(
        async () => {
          const done = await parcels();
          if (done < expected) throw new Error(`${done} of ${expected} parcels`);
        },
        { timeoutMs: 600000, intervalMs: 200 },
      );
      return (Date.now() - t0) / 1000;
    };

    const load = new Load(system.services.intake.baseUrl, token);
    say(`warm-up: ${options.clients} clients for ${options.warmupSeconds} s`);
    await load.closedLoop(options.clients, options.warmupSeconds);
    await drain(load.submissions.length);

    const phase = async (
      offered: string,
      drive: () => Promise<void>,
    ): Promise<{
      result: Omit<PhaseResult, 'hops' | 'drainSeconds'>;
      timelines: CaseTimeline[];
      drainSeconds: number;
    }> => {
      const first = load.submissions.length;
      const failedBefore = load.failed;
      const parcelsBefore = await parcels();
      const sampler = new ProcessSampler(groups);
      const windowStart = Date.now();
      sampler.start();
      await drive();
      const windowEnd = Date.now();
      const usage: GroupUsage[] = sampler.stop();
      const submitted = load.submissions.slice(first);
      const backlogAtEnd = submitted.length - ((await parcels()) - parcelsBefore);
      const drainSeconds = await drain(parcelsBefore + submitted.length);
      const timelines = caseTimelines(
        await readStamps(
          clients,
          submitted.map((submission) => submission.caseId),
        ),
      );
      const seconds = (windowEnd - windowStart) / 1000;
      return {
        timelines,
        drainSeconds,
        result: {
          seconds,
          offered,
          accepted: submitted.length,
          acceptedPerSecond: submitted.length / seconds,
          completedPerSecond: completionRate(timelines, windowStart, windowEnd),
          backlogAtEnd,
          postCasesMs: distribution(submitted.map((submission) => submission.ms)),
          usage,
          failedPosts: load.failed - failedBefore,
        },
      };
    };

    say(`saturation: ${options.clients} clients for ${options.seconds} s`);
    const saturation = await phase(`closed loop, ${options.clients} clients`, () =>
      load.closedLoop(options.clients, options.seconds),
    );
    const sustained = saturation.result.completedPerSecond;
    say(
      `sustained ${sustained.toFixed(1)} cases/s (accepted ${saturation.result.acceptedPerSecond.toFixed(1)}/s); ` +
        `drained in ${saturation.drainSeconds.toFixed(1)} s`,
    );
    const rate = Math.max(1, Math.round(sustained * options.latencyShare));
    say(`latency phase: ${rate} cases/s for ${options.latencySeconds} s`);
    const latency = await phase(`${rate} cases/s`, () => load.paced(rate, options.latencySeconds));

    const sizes = await Promise.all(
      SERVICE_NAMES.map(
        async (name) =>
          (
            await clients[name]!.query<{ bytes: string; n: string }>(
              'SELECT coalesce(sum(octet_length(payload::text)), 0) AS bytes, count(*) AS n FROM outbox',
            )
          ).rows[0]!,
      ),
    );
    const meanEventBytes = Math.round(
      sizes.reduce((total, row) => total + Number(row.bytes), 0) /
        Math.max(
          1,
          sizes.reduce((total, row) => total + Number(row.n), 0),
        ),
    );

    // The limits are measured with the services stopped, so they have the machine to themselves.
    await Promise.all(SERVICE_NAMES.map((name) => system.services[name].stop()));
    let limits: PipelineReport['limits'];
    if (!options.skipLimits) {
      say(`pgbench: one routing hop's writes, ${options.pgbenchSeconds} s per client count`);
      const pgbench = await pgbenchRoutingHop(
        system.services.routing.database.url,
        [1, 4, 8],
        options.pgbenchSeconds,
      );
      const topic = `bench.producer-perf.${Date.now().toString(36)}`;
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
      say(`kafka ProducerPerformance: ${options.producerRecords} records of ${meanEventBytes} bytes`);
      try {
        const kafkaProducer = await kafkaProducerPerf({
          brokers: stack.kafkaBrokers.join(','),
          topic,
          records: options.producerRecords,
          recordBytes: meanEventBytes,
        });
        const best = Math.max(...pgbench.map((result) => result.tps));
        limits = { kafkaProducer, pgbench, pipelineToPgbench: round(sustained / best, 4) };
      } finally {
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      }
    }

    const report: PipelineReport = {
      benchmark: 'pipeline',
      label: options.label,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverageAtStart },
      stack: { kafka: kafkaVersionFromPom(root), postgres: postgresVersion, topicPartitions: partitions },
      git: gitInfo(root, ['libs', 'services', 'tools/bench']),
      serviceEnv: options.serviceEnv,
      parameters: {
        clients: options.clients,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
        latencySeconds: options.latencySeconds,
        latencyShare: options.latencyShare,
        pgbenchSeconds: options.pgbenchSeconds,
        producerRecords: options.producerRecords,
      },
      meanEventBytes,
      saturation: {
        ...saturation.result,
        drainSeconds: saturation.drainSeconds,
        hops: hopLatencies(saturation.timelines),
      },
      latency: {
        ...latency.result,
        drainSeconds: latency.drainSeconds,
        hops: hopLatencies(latency.timelines),
      },
      ...(limits ? { limits } : {}),
      ...(before ? { before } : {}),
    };
    const files = await writePipelineReport(
      report,
      path.resolve(root, options.outDir),
      options.name ?? startedAt.toISOString().slice(0, 10),
    );
    process.stdout.write(`${pipelineSummary(report)}\n`);
    say(`report: ${path.relative(root, files.markdown)} and ${path.relative(root, files.json)}`);
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.end().catch(() => undefined)));
    await admin.disconnect();
    await system.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
