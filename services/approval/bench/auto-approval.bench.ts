/**
 * 秒批 latency: how long a case of an auto-approvable item takes from `case.routed` to
 * `case.decided`, with no human step, on the real stack. Boots the approval service in-process on
 * a throwaway database, sends cases at a steady rate and reports percentiles. It measures; it
 * asserts nothing.
 *
 *   tsc -p services/approval/bench/tsconfig.json && \
 *   node -r ./tools/runtime-paths.cjs dist/services/approval/bench/auto-approval.bench.js --cases 200 --rate 20
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devAuthEnv, devAuthKeys } from '@tongban/auth';
import { createEvent, TOPICS } from '@tongban/contracts';
import { loadReferenceData } from '@tongban/reference-data';
import { runMigrationsLocked } from '@tongban/database';
import { createServiceApp, loadServiceConfig, startServiceApp } from '@tongban/runtime';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { approvalService } from '../src/approval.service-definition';
import { approvalDataSourceOptions } from '../src/database/approval-data-source';

interface Options {
  readonly cases: number;
  readonly rate: number;
  /** Where the JSON report goes (default bench/results under the working directory). */
  readonly out: string;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!(parsed > 0)) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  if (argv.includes('--help')) {
    process.stdout.write(
      'auto-approval.bench [--cases 200] [--rate 20 (cases per second)] [--out bench/results]\n',
    );
    process.exit(0);
  }
  const outIndex = argv.indexOf('--out');
  const out = path.resolve(outIndex >= 0 ? (argv[outIndex + 1] ?? '') : 'bench/results');
  return { cases: Math.floor(value('cases', 200)), rate: value('rate', 20), out };
}

function percentiles(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (share: number) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
  return {
    count: sorted.length,
    p50: rank(0.5),
    p95: rank(0.95),
    p99: rank(0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

function routed(caseId: string) {
  const masked = (text: string) => ({ ciphertext: 'v1.k1.YmVuY2g', hash: 'b'.repeat(64), masked: text });
  return createEvent({
    type: 'case.routed',
    // A v1 snapshot (birth date in clear): evaluating a band costs the same.
    version: 1,
    caseId,
    producer: 'routing',
    payload: {
      routingId: randomUUID(),
      // 就业创业证申领: 秒批 when the ID card is present and the applicant is 16 or older.
      case: {
        receiptNumber: `440306001-20261124-${caseId.slice(0, 4)}`,
        itemCode: 'RS-JYCYZ-004',
        acceptingOfficeId: '440306001',
        acceptingDistrict: '440306',
        applicant: {
          kind: 'person',
          name: '压测申请人',
          idNumber: masked('440306********002X'),
          phone: masked('138****0000'),
          householdDistrict: '440306',
          birthDate: '1995-06-01',
        },
        materials: [{ code: 'id_card', name: '居民身份证' }],
        missingMaterials: [],
        delivery: { method: 'pickup', officeId: '440306001' },
      },
      assignments: [{ departmentId: '440306-rsj', districtCode: '440306', role: 'primary' }],
      crossDistrict: false,
      basis: 'household_district',
      timeLimitDays: 5,
      // As routing computes it: the closing time of the department's last working day. A raw
      // "now + 7 days" lay outside business hours when the bench ran after 18:00 in Shenzhen.
      slaDueAt: loadReferenceData()
        .calendarForDepartment('440306-rsj')
        .addWorkingDays(new Date(), 5)
        .toISOString(),
      routedBy: { sub: 'system', role: 'system' },
    },
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const server = new URL(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const runId = randomBytes(4).toString('hex');
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const database = new URL(server);
  database.pathname = `/tongban_bench_approval_${runId}`;
  const sql = async (text: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  const kafka = new Kafka({ clientId: `approval-bench-${runId}`, brokers, logLevel: logLevel.NOTHING });
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    await sql(`CREATE DATABASE "tongban_bench_approval_${runId}"`);
    cleanup.push(() => sql(`DROP DATABASE IF EXISTS "tongban_bench_approval_${runId}" WITH (FORCE)`));
    const config = loadServiceConfig(approvalService, {
      ...devAuthEnv(await devAuthKeys()),
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.toString(),
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_GROUP_ID: `tongban-approval-bench-${runId}`,
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    });
    // The bench's service group starts at the end of its topics, not at their whole history.
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    for (const topic of [TOPICS.caseRouted, TOPICS.caseSupplemented]) {
      const ends = await kafkaAdmin.fetchTopicOffsets(topic);
      await kafkaAdmin.setOffsets({
        groupId: config.KAFKA_GROUP_ID,
        topic,
        partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
      });
    }
    await kafkaAdmin.disconnect();
    const migrator = await new DataSource(approvalDataSourceOptions(config)).initialize();
    await runMigrationsLocked(migrator);
    const app = await createServiceApp(approvalService, config);
    await startServiceApp(app, config);
    cleanup.push(() => app.close());
    const dataSource = migrator;
    cleanup.push(() => dataSource.destroy());

    const sentAt = new Map<string, number>();
    const receivedMs = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: `approval-bench-recorder-${runId}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    cleanup.push(() => consumer.disconnect());
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.subscribe({ topics: [TOPICS.caseDecided], fromBeginning: false });
    await consumer.run({
      eachMessage: ({ message }) => {
        const key = message.key?.toString() ?? '';
        const sent = sentAt.get(key);
        if (sent !== undefined && !receivedMs.has(key)) receivedMs.set(key, Date.now() - sent);
        return Promise.resolve();
      },
    });
    await joined;
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    cleanup.push(() => producer.disconnect());

    const send = async (caseId: string) => {
      sentAt.set(caseId, Date.now());
      await producer.send({
        topic: TOPICS.caseRouted,
        acks: -1,
        messages: [{ key: caseId, value: JSON.stringify(routed(caseId)) }],
      });
    };
    const waitFor = async (ids: readonly string[], timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => !receivedMs.has(id)) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
    };

    // Warm-up: connections, the consumer's partitions, JIT.
    const warmup = Array.from({ length: 5 }, () => randomUUID());
    for (const id of warmup) await send(id);
    await waitFor(warmup, 60000);

    process.stdout.write(`[bench] sending ${options.cases} 秒批 cases at ${options.rate}/s\n`);
    const ids = Array.from({ length: options.cases }, () => randomUUID());
    const started = Date.now();
    for (const [index, id] of ids.entries()) {
      const due = started + (index * 1000) / options.rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      await send(id);
    }
    const sendSeconds = (Date.now() - started) / 1000;
    await waitFor(ids, 60000);

    const rows = (await dataSource.query(
      `SELECT case_id, decided_at, origin FROM approval_cases WHERE case_id = ANY($1)`,
      [ids],
    )) as { case_id: string; decided_at: Date | null; origin: string | null }[];
    const commitMs = rows.flatMap((row) =>
      row.decided_at ? [row.decided_at.getTime() - (sentAt.get(row.case_id) ?? Number.NaN)] : [],
    );
    const endToEnd = ids.flatMap((id) => (receivedMs.has(id) ? [receivedMs.get(id) ?? Number.NaN] : []));
    const result = {
      bench: 'approval 秒批: case.routed -> case.decided',
      at: new Date().toISOString(),
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, load: os.loadavg() },
      options,
      achievedRate: options.cases / sendSeconds,
      decidedAuto: rows.filter((row) => row.origin === 'auto').length,
      missing: ids.length - endToEnd.length,
      sendToDecisionMs: percentiles(commitMs),
      sendToCaseDecidedReceivedMs: percentiles(endToEnd),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    mkdirSync(options.out, { recursive: true });
    const file = path.join(options.out, `approval-auto-approval-${result.at.slice(0, 10)}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`[bench] report: ${file}\n`);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
