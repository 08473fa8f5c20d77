import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { findDevUser, mintDevToken } from '@tongban/auth';
import { SERVICE_NAMES } from '@tongban/config';
import { TOPICS } from '@tongban/contracts';
import { AUTO_APPROVED_CLAIM_STAFF, TongbanSystem } from '@tongban/service-testing';
import { testEnvironment, WORKSPACE_ROOT } from '@tongban/testing';
import { readGroupLag } from '@tongban/messaging';
import type { Admin } from 'kafkajs';
import { Client } from 'pg';
import { positiveOption } from '../cli-options';
import { gitInfo, machineInfo } from '../bench-report';
import { benchKafka, checkKafka, checkPostgres, localBrokerFiles } from '../bench-stack';
import { Load } from '../pipeline/load';
import { pidsByCommand, type ProcessGroup, ProcessSampler } from '../pipeline/process-sampler';
import { type SoakReport, soakMarkdown, writeSoakReport } from './soak-report';
import {
  LOAD_GENERATOR,
  type SoakCase,
  type SoakWindow,
  soakWindow,
  type WindowReadings,
} from './soak-windows';

const USAGE = `Usage: npm run soak -- [options]

Runs the four built services (npm run build first) on the running local stack for a long time at a
steady rate of 秒批 + window-pickup cases, and reports per window: memory and CPU per process,
consumer lag, database and topic sizes, end-to-end latency percentiles; then whether each series
levels off. Writes bench/results/soak-<date>.md and .json. Not part of CI.

  --minutes N           how long the load runs (30)
  --window-minutes N    reporting window (5)
  --rate N              cases/s offered; by default a share of the rate measured first
  --rate-share X        that share of a saturation measured first (0.5)
  --saturation-seconds N  the measuring saturation, 16 clients back to back (30)
  --name NAME           report file name without extension (soak-<date>)
  --out-dir DIR         where the report goes (bench/results)
`;

const BASE_PORT = 29800;
const SAMPLE_MS = 15000;
const PROJECT_TOPICS = Object.values(TOPICS);

interface Options {
  readonly minutes: number;
  readonly windowMinutes: number;
  readonly rate?: number;
  readonly rateShare: number;
  readonly saturationSeconds: number;
  readonly name?: string;
  readonly outDir: string;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '30' },
      'window-minutes': { type: 'string', default: '5' },
      rate: { type: 'string' },
      'rate-share': { type: 'string', default: '0.5' },
      'saturation-seconds': { type: 'string', default: '30' },
      name: { type: 'string' },
      'out-dir': { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  return {
    minutes: positiveOption('minutes', values.minutes),
    windowMinutes: positiveOption('window-minutes', values['window-minutes']),
    ...(values.rate === undefined ? {} : { rate: positiveOption('rate', values.rate) }),
    rateShare: positiveOption('rate-share', values['rate-share']),
    saturationSeconds: positiveOption('saturation-seconds', values['saturation-seconds']),
    name: values.name,
    outDir: values['out-dir'],
  };
}

const say = (line: string) =>
  process.stdout.write(`[soak] ${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** Total lag of each service's consumer group on the topics it reads (as tongban_consumer_lag counts it). */
async function groupLags(admin: Admin, groups: Record<string, string>): Promise<Record<string, number>> {
  const lags: Record<string, number> = {};
  for (const [service, groupId] of Object.entries(groups))
    lags[service] = (await readGroupLag(admin, groupId)).reduce((total, item) => total + item.lag, 0);
  return lags;
}

async function topicRecords(admin: Admin): Promise<number> {
  let records = 0;
  for (const topic of PROJECT_TOPICS)
    for (const end of await admin.fetchTopicOffsets(topic)) records += Number(end.high) - Number(end.low);
  return records;
}

/** Bytes of the project's topic partitions in the broker's data directory, when it is on this machine. */
function topicBytes(dataDir: string): number | undefined {
  if (!existsSync(dataDir)) return undefined;
  let bytes = 0;
  for (const entry of readdirSync(dataDir)) {
    const topic = entry.replace(/-\d+$/, '');
    if (!PROJECT_TOPICS.includes(topic as (typeof PROJECT_TOPICS)[number])) continue;
    const dir = path.join(dataDir, entry);
    for (const file of readdirSync(dir)) bytes += statSync(path.join(dir, file)).size;
  }
  return bytes;
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
  // Read now: the code under test is what was built before the run, whatever is committed during it.
  const git = gitInfo(root, ['libs', 'services', 'tools/bench']);
  const stack = testEnvironment();
  await checkPostgres(stack.postgresUrl);
  const admin = benchKafka(stack.kafkaBrokers, 'tongban-soak-admin').admin();
  await checkKafka(admin, stack.kafkaBrokers, TOPICS.caseSubmitted);
  const broker = localBrokerFiles(root);

  const system = await TongbanSystem.start({
    label: 'soak',
    basePort: BASE_PORT,
    env: { LOG_LEVEL: 'warn' },
    progress: say,
  });
  const clients: Record<string, Client> = {};
  try {
    for (const name of SERVICE_NAMES) {
      clients[name] = new Client({ connectionString: system.services[name].database.url });
      await clients[name].connect();
    }
    const delivery = clients['delivery']!;
    const parcelCount = async () =>
      Number((await delivery.query<{ n: string }>('SELECT count(*) AS n FROM parcels')).rows[0]!.n);
    const completed = new Map<string, number>();
    let seenUpTo = 0;
    const readParcels = async () => {
      // A second of overlap: parcels committed out of created_at order are still seen.
      const rows = await delivery.query<{ case_id: string; at: number }>(
        `SELECT case_id, (extract(epoch FROM created_at) * 1000)::float8 AS at FROM parcels
          WHERE created_at >= to_timestamp($1 / 1000.0)`,
        [seenUpTo - 1000],
      );
      for (const row of rows.rows) {
        completed.set(row.case_id, row.at);
        seenUpTo = Math.max(seenUpTo, row.at);
      }
    };
    const token = await mintDevToken(findDevUser(AUTO_APPROVED_CLAIM_STAFF)!, system.keys);
    const load = new Load(system.services.intake.baseUrl, token);

    let rate = options.rate;
    let rateSource = 'given with --rate';
    if (rate === undefined) {
      say(`measuring the sustained rate: 16 clients for ${options.saturationSeconds} s`);
      const before = await parcelCount();
      const t0 = Date.now();
      await load.closedLoop(16, options.saturationSeconds);
      const sustained = ((await parcelCount()) - before) / ((Date.now() - t0) / 1000);
      rate = Math.max(1, Math.round(sustained * options.rateShare));
      rateSource = `${options.rateShare} × ${sustained.toFixed(1)} cases/s completed in a ${options.saturationSeconds}-s saturation before the soak`;
      say(`sustained ${sustained.toFixed(1)} cases/s; soaking at ${rate}/s once the backlog drained`);
      while ((await parcelCount()) < before + load.submissions.length) await sleep(1000);
    }
    const measuredFrom = load.submissions.length;
    const failedBefore = load.failed;

    const processGroups: ProcessGroup[] = [
      ...SERVICE_NAMES.map((name) => ({
        name,
        pids: () => {
          const pid = system.services[name].pid;
          return pid ? [pid] : [];
        },
      })),
      {
        name: 'kafka broker',
        pids: () => (existsSync(broker.pidFile) ? [Number(readFileSync(broker.pidFile, 'utf8').trim())] : []),
      },
      { name: 'postgresql (all backends)', pids: () => pidsByCommand('postgres') },
      { name: 'redis', pids: () => pidsByCommand('redis-server') },
      { name: LOAD_GENERATOR, pids: () => [process.pid] },
    ];
    const groupIds = Object.fromEntries(SERVICE_NAMES.map((name) => [name, system.services[name].groupId]));
    const windowMs = options.windowMinutes * 60000;
    const loadStart = Date.now();
    const loadEnd = loadStart + options.minutes * 60000;
    const readings: { startedAt: number; endedAt: number; failed: number; readings: WindowReadings }[] = [];

    say(`soak: ${rate} cases/s for ${options.minutes} min, ${options.windowMinutes}-min windows`);
    const loadDone = load.paced(rate, options.minutes * 60);
    for (let windowStart = loadStart; windowStart < loadEnd; windowStart += windowMs) {
      const windowEnd = Math.min(windowStart + windowMs, loadEnd);
      const sampler = new ProcessSampler(processGroups);
      sampler.start(5000);
      const failedAtStart = load.failed;
      const maxLag: Record<string, number> = {};
      let lagAtEnd: Record<string, number> = {};
      while (Date.now() < windowEnd) {
        await sleep(Math.min(SAMPLE_MS, Math.max(windowEnd - Date.now(), 0)));
        lagAtEnd = await groupLags(admin, groupIds);
        for (const [group, lag] of Object.entries(lagAtEnd))
          maxLag[group] = Math.max(maxLag[group] ?? 0, lag);
        await readParcels();
      }
      const databaseBytes: Record<string, number> = {};
      for (const name of SERVICE_NAMES)
        databaseBytes[name] = Number(
          (
            await clients[name]!.query<{ bytes: string }>(
              'SELECT pg_database_size(current_database()) AS bytes',
            )
          ).rows[0]!.bytes,
        );
      const bytes = topicBytes(broker.dataDir);
      readings.push({
        startedAt: windowStart,
        endedAt: windowEnd,
        failed: load.failed - failedAtStart,
        readings: {
          usage: sampler.stop(),
          maxLag,
          lagAtEnd,
          databaseBytes,
          topicRecords: await topicRecords(admin),
          ...(bytes === undefined ? {} : { topicBytes: bytes }),
        },
      });
      const accepted = load.submissions.filter(
        (item) => item.at >= windowStart && item.at < windowEnd,
      ).length;
      say(
        `window ${readings.length}: ${accepted} accepted, lag ${JSON.stringify(lagAtEnd)}, ` +
          `memory ${readings
            .at(-1)!
            .readings.usage.map((usage) => `${usage.name} ${Math.round(usage.peakMemoryMiB)}`)
            .join(', ')} MiB`,
      );
    }
    await loadDone;

    const submitted = load.submissions.slice(measuredFrom);
    const drainStart = Date.now();
    const drainDeadline = drainStart + 600000;
    await readParcels();
    while (submitted.some((item) => !completed.has(item.caseId)) && Date.now() < drainDeadline) {
      await sleep(1000);
      await readParcels();
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const lost = submitted.filter((item) => !completed.has(item.caseId)).length;
    const cases: SoakCase[] = submitted.map((item) => {
      const done = completed.get(item.caseId);
      return { acceptedAt: item.at, postMs: item.ms, ...(done === undefined ? {} : { completedAt: done }) };
    });
    const windows: SoakWindow[] = readings.map((window, index) =>
      soakWindow(index, window.startedAt, window.endedAt, cases, window.failed, window.readings),
    );
    const report: SoakReport = {
      benchmark: 'soak',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverageAtStart },
      git,
      parameters: { minutes: options.minutes, windowMinutes: options.windowMinutes, rate, rateSource },
      windows,
      drainSeconds,
      lost,
      failures: Object.fromEntries(load.failures),
    };
    if (load.failed > failedBefore)
      say(
        `${load.failed - failedBefore} POST /cases failed: ${JSON.stringify(Object.fromEntries(load.failures))}`,
      );
    const files = await writeSoakReport(
      report,
      path.resolve(root, options.outDir),
      options.name ?? `soak-${startedAt.toISOString().slice(0, 10)}`,
    );
    process.stdout.write(`${soakMarkdown(report)}\n`);
    say(`report: ${path.relative(root, files.markdown)} and ${path.relative(root, files.json)}`);
    if (lost > 0) process.exitCode = 1;
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.end().catch(() => undefined)));
    await admin.disconnect();
    await system.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[soak] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
