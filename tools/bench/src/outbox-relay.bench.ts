import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createEvent, type EventOf, type TongbanEvent } from '@tongban/contracts';
import { postgresDataSourceOptions, runMigrationsLocked } from '@tongban/database';
import {
  appendToOutbox,
  DEFAULT_RELAY_OPTIONS,
  KafkaProducerHandle,
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
} from '@tongban/messaging';
import { WORKSPACE_ROOT } from '@tongban/testing';
import type { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  type BacklogResult,
  type BenchReport,
  gitInfo,
  kafkajsVersion,
  kafkaVersionFromPom,
  type LatencyResult,
  machineInfo,
  round,
  type SustainedResult,
  textSummary,
  writeReport,
} from './bench-report';
import {
  benchKafka,
  benchStackFromEnv,
  checkKafka,
  checkPostgres,
  CleanupStack,
  createBenchDatabase,
  serverAddress,
  StackUnavailableError,
} from './bench-stack';
import { distribution, median } from './latency-distribution';

/** The bench topic copies this topic's partition count, and the events are of its type. */
const TEMPLATE_TOPIC = 'case.sla';
const WARM_UP_EVENTS = 20;
const ARRIVAL_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 180_000;
const BACKLOG_SAMPLE_MS = 500;

const USAGE = `Usage: npm run bench:outbox -- [options]

Measures the outbox relay of libs/messaging against the running local stack
(KAFKA_BROKERS, default 127.0.0.1:9092; DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).

  --rate N               commits per second in the latency run (200)
  --latency-seconds N    length of the latency run (15)
  --baseline-seconds N   length of the direct-send baseline at the same rate (5)
  --backlog-rows N       rows pre-filled before each backlog run (50000)
  --batch-sizes A,B,...  relay batch sizes of the backlog runs (500,100,2000)
  --backlog-repeats N    runs per batch size; the report gives the median (3)
  --prefill-tx-size N    events per transaction when pre-filling (500)
  --writers N            concurrent writers in the sustained run (4)
  --sustained-seconds N  length of the sustained run (15)
  --poll-ms N            backlog polling interval while timing a drain (20)
  --out-dir DIR          where the report goes (bench/results)
`;

class UsageError extends Error {}

/** Ctrl-C or SIGTERM: the run stops where it is, cleans up, and says so in one line. */
class Interrupted extends Error {}

interface BenchOptions {
  readonly rate: number;
  readonly latencySeconds: number;
  readonly baselineSeconds: number;
  readonly backlogRows: number;
  readonly batchSizes: readonly number[];
  readonly backlogRepeats: number;
  readonly prefillTxSize: number;
  readonly writers: number;
  readonly sustainedSeconds: number;
  readonly pollMs: number;
  readonly outDir: string;
}

interface BenchContext {
  readonly options: BenchOptions;
  readonly dataSource: DataSource;
  readonly databaseUrl: string;
  readonly producer: KafkaProducerHandle;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly topic: string;
  readonly groupId: string;
  readonly cleanup: CleanupStack;
  readonly signal: AbortSignal;
}

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

function parseOptions(args: string[], root: string): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        rate: { type: 'string', default: '200' },
        'latency-seconds': { type: 'string', default: '15' },
        'baseline-seconds': { type: 'string', default: '5' },
        'backlog-rows': { type: 'string', default: '50000' },
        'batch-sizes': { type: 'string', default: '500,100,2000' },
        'backlog-repeats': { type: 'string', default: '3' },
        'prefill-tx-size': { type: 'string', default: '500' },
        writers: { type: 'string', default: '4' },
        'sustained-seconds': { type: 'string', default: '15' },
        'poll-ms': { type: 'string', default: '20' },
        'out-dir': { type: 'string', default: path.join(root, 'bench/results') },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  return {
    rate: positiveInteger('rate', values.rate),
    latencySeconds: positiveInteger('latency-seconds', values['latency-seconds']),
    baselineSeconds: positiveInteger('baseline-seconds', values['baseline-seconds']),
    backlogRows: positiveInteger('backlog-rows', values['backlog-rows']),
    batchSizes: [
      ...new Set(values['batch-sizes'].split(',').map((size) => positiveInteger('batch-sizes', size.trim()))),
    ],
    backlogRepeats: positiveInteger('backlog-repeats', values['backlog-repeats']),
    prefillTxSize: positiveInteger('prefill-tx-size', values['prefill-tx-size']),
    writers: positiveInteger('writers', values.writers),
    sustainedSeconds: positiveInteger('sustained-seconds', values['sustained-seconds']),
    pollMs: positiveInteger('poll-ms', values['poll-ms']),
    outDir: path.resolve(values['out-dir']),
  };
}

function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with PostgreSQL's clock. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

function slaEvent(): EventOf<'case.sla'> {
  return createEvent({
    type: 'case.sla',
    caseId: randomUUID(),
    producer: 'approval',
    payload: {
      kind: 'warning',
      departmentId: '440306-rsj',
      dueAt: '2026-12-01T10:00:00.000Z',
      usedShare: 0.8,
    },
  });
}

/** Commits the events in one transaction, as a service does; resolves with the commit time. */
async function commit(ctx: BenchContext, events: TongbanEvent | readonly TongbanEvent[]): Promise<number> {
  await ctx.dataSource.transaction((manager) => appendToOutbox(manager, events));
  return now();
}

function startRelay(ctx: BenchContext, batchSize: number): OutboxRelay {
  const relay = new OutboxRelay(ctx.dataSource, ctx.producer, {
    ...DEFAULT_RELAY_OPTIONS,
    batchSize,
  });
  relay.start();
  return relay;
}

/** Polls until the condition holds; false when the time runs out first. */
async function waitUntil(
  ctx: BenchContext,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) return false;
    await sleep(pollMs, undefined, { signal: ctx.signal });
  }
  return true;
}

async function backlogIsEmpty(ctx: BenchContext): Promise<boolean> {
  // EXISTS rather than count(*): the probe must not compete with the relay it is timing.
  const [row] = (await ctx.dataSource.query(
    'SELECT NOT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL) AS empty',
  )) as { empty: boolean }[];
  return row?.empty === true;
}

async function outboxCounts(ctx: BenchContext): Promise<{ published: number; backlog: number }> {
  const [row] = (await ctx.dataSource.query(
    `SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published,
            count(*) FILTER (WHERE published_at IS NULL)::int AS backlog
       FROM outbox`,
  )) as { published: number; backlog: number }[];
  return row ?? { published: 0, backlog: 0 };
}

async function waitForEmptyBacklog(ctx: BenchContext, what: string): Promise<void> {
  if (!(await waitUntil(ctx, () => backlogIsEmpty(ctx), DRAIN_TIMEOUT_MS, ctx.options.pollMs))) {
    const { backlog } = await outboxCounts(ctx);
    throw new Error(`${what}: ${backlog} rows still unpublished after ${DRAIN_TIMEOUT_MS / 1000} s`);
  }
}

interface Recorder {
  /** First arrival time per message key; every bench event has a key of its own. */
  readonly receivedAt: Map<string, number>;
  duplicates: number;
  stop(): Promise<void>;
}

async function startRecorder(ctx: BenchContext): Promise<Recorder> {
  const consumer = ctx.kafka.consumer({
    groupId: ctx.groupId,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  const recorder: Recorder = { receivedAt: new Map(), duplicates: 0, stop: () => consumer.disconnect() };
  ctx.cleanup.push(`delete consumer group ${ctx.groupId}`, () => ctx.admin.deleteGroups([ctx.groupId]));
  // Stopped after the latency run already; this covers a failure before that.
  ctx.cleanup.push('stop the consumer', () => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topics: [ctx.topic], fromBeginning: true });
  await consumer.run({
    // Offsets are committed now and then, not after every fetch, to keep that round trip out of
    // the measured path; committed offsets also keep the group around for the cleanup to delete.
    autoCommitInterval: 1000,
    eachBatch: async ({ batch }) => {
      // One time for the whole fetch: when its messages reached the application.
      const at = now();
      for (const message of batch.messages) {
        const key = message.key?.toString();
        if (key === undefined) continue;
        if (recorder.receivedAt.has(key)) recorder.duplicates += 1;
        else recorder.receivedAt.set(key, at);
      }
    },
  });
  return recorder;
}

/**
 * Open loop: starts `fire` `total` times at the configured rate whatever earlier calls are doing,
 * so queueing shows up in the latencies instead of lowering the rate. Resolves with the seconds
 * until the last call settled.
 */
async function paced(ctx: BenchContext, total: number, fire: () => Promise<void>): Promise<number> {
  const failures: unknown[] = [];
  const calls: Promise<void>[] = [];
  const started = performance.now();
  for (let index = 0; index < total && failures.length === 0; index += 1) {
    const delay = started + (index * 1000) / ctx.options.rate - performance.now();
    if (delay > 0) await sleep(delay, undefined, { signal: ctx.signal });
    calls.push(fire().catch((error: unknown) => void failures.push(error)));
  }
  await Promise.all(calls);
  if (failures.length > 0) throw failures[0];
  return (performance.now() - started) / 1000;
}

function arrivalsOf(ctx: BenchContext, recorder: Recorder, keys: readonly string[]): Promise<boolean> {
  return waitUntil(ctx, () => keys.every((key) => recorder.receivedAt.has(key)), ARRIVAL_TIMEOUT_MS, 20);
}

function latencies(startedAt: ReadonlyMap<string, number>, endedAt: ReadonlyMap<string, number>): number[] {
  const spans: number[] = [];
  for (const [key, start] of startedAt) {
    const end = endedAt.get(key);
    if (end !== undefined) spans.push(end - start);
  }
  return spans;
}

async function measureRelayLatency(ctx: BenchContext, recorder: Recorder) {
  const relay = startRelay(ctx, DEFAULT_RELAY_OPTIONS.batchSize);
  try {
    // Connections, the group join and the first fetches stay out of the figures.
    const warmUp = Array.from({ length: WARM_UP_EVENTS }, slaEvent);
    for (const event of warmUp) await commit(ctx, event);
    if (
      !(await arrivalsOf(
        ctx,
        recorder,
        warmUp.map((event) => event.caseId),
      ))
    ) {
      throw new Error('the warm-up events never reached the consumer');
    }
    const committedAt = new Map<string, number>();
    const seconds = await paced(ctx, ctx.options.rate * ctx.options.latencySeconds, async () => {
      const event = slaEvent();
      committedAt.set(event.caseId, await commit(ctx, event));
    });
    await arrivalsOf(ctx, recorder, [...committedAt.keys()]);
    await waitForEmptyBacklog(ctx, 'latency run');
    const published = (await ctx.dataSource.query(
      `SELECT message_key AS key, (extract(epoch FROM published_at) * 1000)::float8 AS "publishedMs"
         FROM outbox WHERE message_key = ANY($1::text[])`,
      [[...committedAt.keys()]],
    )) as { key: string; publishedMs: number }[];
    return {
      seconds,
      events: committedAt.size,
      toReceive: latencies(committedAt, recorder.receivedAt),
      toAck: latencies(committedAt, new Map(published.map((row) => [row.key, row.publishedMs]))),
    };
  } finally {
    await relay.stop();
  }
}

/** The same rate sent straight to Kafka by the relay's producer: the floor any relay sits on. */
async function measureDirectSend(ctx: BenchContext, recorder: Recorder): Promise<number[]> {
  const producer = await ctx.producer.get();
  const value = JSON.stringify(slaEvent());
  const sentAt = new Map<string, number>();
  await paced(ctx, ctx.options.rate * ctx.options.baselineSeconds, async () => {
    const key = randomUUID();
    sentAt.set(key, now());
    await producer.send({
      topic: ctx.topic,
      acks: -1,
      messages: [{ key, value, headers: { 'content-type': 'application/json' } }],
    });
  });
  await arrivalsOf(ctx, recorder, [...sentAt.keys()]);
  return latencies(sentAt, recorder.receivedAt);
}

async function measureLatency(ctx: BenchContext): Promise<LatencyResult> {
  const recorder = await startRecorder(ctx);
  try {
    const relay = await measureRelayLatency(ctx, recorder);
    const direct = await measureDirectSend(ctx, recorder);
    return {
      targetRate: ctx.options.rate,
      achievedRate: round(relay.events / relay.seconds, 1),
      seconds: round(relay.seconds, 2),
      events: relay.events,
      received: relay.toReceive.length,
      missing: relay.events - relay.toReceive.length,
      duplicates: recorder.duplicates,
      commitToReceiveMs: rounded(distribution(relay.toReceive)),
      commitToAckMs: rounded(distribution(relay.toAck)),
      directSendToReceiveMs: rounded(distribution(direct)),
    };
  } finally {
    await recorder.stop();
  }
}

function rounded<T extends object>(stats: T): T {
  return Object.fromEntries(
    Object.entries(stats).map(([name, value]) => [name, typeof value === 'number' ? round(value, 2) : value]),
  ) as T;
}

async function prefill(ctx: BenchContext, rows: number): Promise<void> {
  let queued = 0;
  // Two lanes keep PostgreSQL busy while Node builds and validates the next transaction's events.
  const lane = async () => {
    while (queued < rows) {
      const count = Math.min(ctx.options.prefillTxSize, rows - queued);
      queued += count;
      ctx.signal.throwIfAborted();
      await commit(ctx, Array.from({ length: count }, slaEvent));
    }
  };
  await Promise.all([lane(), lane()]);
}

interface BacklogRun {
  readonly drainSeconds: number;
  readonly prefillSeconds: number;
}

async function drainBacklog(ctx: BenchContext, batchSize: number): Promise<BacklogRun> {
  const rows = ctx.options.backlogRows;
  await ctx.dataSource.query('TRUNCATE outbox');
  const prefillStarted = performance.now();
  await prefill(ctx, rows);
  const prefillSeconds = (performance.now() - prefillStarted) / 1000;
  // Fresh statistics now, so an autoanalyze does not land in the middle of one run and not another.
  await ctx.dataSource.query('ANALYZE outbox');
  await ctx.producer.get();

  const started = performance.now();
  const relay = startRelay(ctx, batchSize);
  try {
    await waitForEmptyBacklog(ctx, `backlog run with batch size ${batchSize}`);
  } finally {
    await relay.stop();
  }
  const drainSeconds = (performance.now() - started) / 1000;
  const { published } = await outboxCounts(ctx);
  if (published !== rows) throw new Error(`backlog run: ${published} rows published, expected ${rows}`);
  return { drainSeconds, prefillSeconds };
}

async function measureBacklogs(ctx: BenchContext): Promise<BacklogResult[]> {
  const { backlogRows: rows, batchSizes, backlogRepeats } = ctx.options;
  const runs = new Map<number, BacklogRun[]>(batchSizes.map((batchSize) => [batchSize, []]));
  // Round-robin over the batch sizes, so a change in the machine's load hits them all alike.
  for (let repeat = 1; repeat <= backlogRepeats; repeat += 1) {
    for (const batchSize of batchSizes) {
      const run = await drainBacklog(ctx, batchSize);
      say(
        `backlog: batch size ${batchSize}, run ${repeat}/${backlogRepeats}: ` +
          `${Math.round(rows / run.drainSeconds)} rows/s`,
      );
      runs.get(batchSize)?.push(run);
    }
  }
  return batchSizes.map((batchSize) => {
    const drains = (runs.get(batchSize) ?? []).map((run) => run.drainSeconds);
    const prefills = (runs.get(batchSize) ?? []).map((run) => run.prefillSeconds);
    return {
      batchSize,
      rows,
      runs: drains.length,
      drainSeconds: round(median(drains), 3),
      rowsPerSecond: round(rows / median(drains), 0),
      rowsPerSecondMin: round(rows / Math.max(...drains), 0),
      rowsPerSecondMax: round(rows / Math.min(...drains), 0),
      prefillRowsPerSecond: round(rows / median(prefills), 0),
    };
  });
}

async function measureSustained(ctx: BenchContext): Promise<SustainedResult> {
  const { writers, sustainedSeconds } = ctx.options;
  await ctx.dataSource.query('TRUNCATE outbox');
  const relay = startRelay(ctx, DEFAULT_RELAY_OPTIONS.batchSize);
  try {
    let committed = 0;
    let maxBacklog = 0;
    const started = performance.now();
    const deadline = started + sustainedSeconds * 1000;
    const writer = async () => {
      while (performance.now() < deadline) {
        ctx.signal.throwIfAborted();
        await commit(ctx, slaEvent());
        committed += 1;
      }
    };
    const sampler = async () => {
      while (performance.now() < deadline) {
        maxBacklog = Math.max(maxBacklog, (await outboxCounts(ctx)).backlog);
        await sleep(BACKLOG_SAMPLE_MS, undefined, { signal: ctx.signal });
      }
    };
    await Promise.all([sampler(), ...Array.from({ length: writers }, writer)]);
    const seconds = (performance.now() - started) / 1000;
    const atEnd = await outboxCounts(ctx);
    const drainStarted = performance.now();
    await waitForEmptyBacklog(ctx, 'sustained run');
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const latencies = (await ctx.dataSource.query(
      'SELECT (extract(epoch FROM published_at - created_at) * 1000)::float8 AS ms FROM outbox',
    )) as { ms: number }[];
    return {
      writers,
      seconds: round(seconds, 2),
      committed,
      committedPerSecond: round(committed / seconds, 0),
      published: atEnd.published,
      publishedPerSecond: round(atEnd.published / seconds, 0),
      maxBacklog: Math.max(maxBacklog, atEnd.backlog),
      backlogAtEnd: atEnd.backlog,
      drainSeconds: round(drainSeconds, 3),
      insertToAckMs: rounded(distribution(latencies.map((row) => row.ms))),
    };
  } finally {
    await relay.stop();
  }
}

/**
 * Sends every row to the run's own topic, so services and test recorders reading the real topics
 * never see bench events; the relay publishes each row to whatever topic it names.
 */
async function redirectOutboxTopic(dataSource: DataSource, topic: string): Promise<void> {
  await dataSource.query(`
    CREATE FUNCTION bench_outbox_topic() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.topic := '${topic}';
      RETURN NEW;
    END $$`);
  await dataSource.query(
    'CREATE TRIGGER bench_outbox_topic BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION bench_outbox_topic()',
  );
}

async function run(options: BenchOptions, root: string, signal: AbortSignal): Promise<void> {
  const stack = benchStackFromEnv();
  const runId = randomBytes(4).toString('hex');
  const cleanup = new CleanupStack();
  const startedAt = new Date();
  const machine = machineInfo();
  try {
    const postgres = await checkPostgres(stack.serverUrl);
    const kafka = benchKafka(stack.kafkaBrokers, `tongban-bench-${runId}`);
    const admin = kafka.admin();
    cleanup.push('disconnect the Kafka admin client', () => admin.disconnect());
    const partitions = await checkKafka(admin, stack.kafkaBrokers, TEMPLATE_TOPIC);

    const topic = `tongban.bench.outbox-${runId}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
    cleanup.push(`delete topic ${topic}`, () => admin.deleteTopics({ topics: [topic] }));

    const database = await createBenchDatabase(stack.serverUrl, runId);
    cleanup.push(`drop database ${database.name}`, () => database.drop());
    const dataSource = await new DataSource(
      postgresDataSourceOptions({
        url: database.url,
        // The writers, the relay's transaction and the backlog probe each hold a connection.
        poolSize: options.writers + 4,
        applicationName: 'tongban-bench-outbox',
        entities: MESSAGING_ENTITIES,
        migrations: MESSAGING_MIGRATIONS,
      }),
    ).initialize();
    cleanup.push('close the database pool', () => dataSource.destroy());
    await runMigrationsLocked(dataSource);
    await redirectOutboxTopic(dataSource, topic);

    const producer = new KafkaProducerHandle({
      brokers: stack.kafkaBrokers,
      clientId: `tongban-bench-relay-${runId}`,
    });
    cleanup.push('close the relay producer', () => producer.close());
    const ctx: BenchContext = {
      options,
      dataSource,
      databaseUrl: database.url,
      producer,
      kafka,
      admin,
      topic,
      groupId: `tongban-bench-${runId}`,
      cleanup,
      signal,
    };

    say(`run ${runId}: database ${database.name}, topic ${topic} (${partitions} partitions)`);
    say(`latency: ${options.rate} commits/s for ${options.latencySeconds} s`);
    const latency = await measureLatency(ctx);
    say(
      `latency: p50 ${latency.commitToReceiveMs.p50} ms, p99 ${latency.commitToReceiveMs.p99} ms ` +
        `(${latency.received}/${latency.events} received)`,
    );
    say(
      `backlog: ${options.backlogRows} rows, batch sizes ${options.batchSizes.join(', ')}, ` +
        `${options.backlogRepeats} runs each`,
    );
    const backlog = await measureBacklogs(ctx);
    say(`sustained: ${options.writers} writers for ${options.sustainedSeconds} s`);
    const sustained = await measureSustained(ctx);
    say(
      `sustained: ${sustained.committedPerSecond} rows/s committed, ${sustained.publishedPerSecond} published`,
    );

    const report: BenchReport = {
      benchmark: 'outbox-relay',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverageAtStart },
      stack: {
        kafka: kafkaVersionFromPom(root),
        kafkajs: kafkajsVersion(),
        postgres,
        kafkaBrokers: stack.kafkaBrokers.join(','),
        postgresServer: serverAddress(stack.serverUrl),
        topicPartitions: partitions,
      },
      git: gitInfo(root),
      parameters: {
        rate: options.rate,
        latencySeconds: options.latencySeconds,
        baselineSeconds: options.baselineSeconds,
        backlogRows: options.backlogRows,
        batchSizes: options.batchSizes.join(','),
        backlogRepeats: options.backlogRepeats,
        prefillTxSize: options.prefillTxSize,
        writers: options.writers,
        sustainedSeconds: options.sustainedSeconds,
        pollMs: options.pollMs,
      },
      results: { latency, backlog, sustained },
    };
    process.stdout.write(`\n${textSummary(report)}\n\n`);
    const files = await writeReport(report, options.outDir);
    say(`wrote ${path.relative(root, files.markdown)} and ${path.relative(root, files.json)}`);
  } finally {
    await cleanup.runAll();
  }
}

async function main(): Promise<void> {
  const root = WORKSPACE_ROOT;
  const options = parseOptions(process.argv.slice(2), root);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const abort = new AbortController();
  const interrupt = (name: NodeJS.Signals) =>
    abort.abort(new Interrupted(`interrupted by ${name}; the bench database, topic and group are removed`));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await run(options, root, abort.signal);
  } catch (error) {
    // An aborted sleep rejects with its own AbortError; the reason tells the real story.
    throw abort.signal.aborted ? abort.signal.reason : error;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}`);
  else if (error instanceof StackUnavailableError || error instanceof Interrupted)
    process.stderr.write(`[bench] ${error.message}\n`);
  else process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
