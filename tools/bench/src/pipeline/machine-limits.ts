import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from '@tongban/testing';
import { Client } from 'pg';

const run = promisify(execFile);

export interface ProducerPerfResult {
  readonly records: number;
  readonly recordBytes: number;
  readonly recordsPerSecond: number;
  readonly mebibytesPerSecond: number;
  readonly avgLatencyMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly settings: string;
}

/** The summary line of org.apache.kafka.tools.ProducerPerformance (its last line of output). */
export function parseProducerPerf(output: string): Omit<ProducerPerfResult, 'recordBytes' | 'settings'> {
  const match =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, [\d.]+ ms max latency, (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(
      output,
    );
  if (!match) throw new Error(`no ProducerPerformance summary in its output:\n${output.slice(-2000)}`);
  return {
    records: Number(match[1]),
    recordsPerSecond: Number(match[2]),
    mebibytesPerSecond: Number(match[3]),
    avgLatencyMs: Number(match[4]),
    p50Ms: Number(match[5]),
    p99Ms: Number(match[6]),
  };
}

/**
 * Kafka's own producer benchmark from the broker's jars (`stack.sh kafka-tool`), on a topic of the
 * pipeline's partition count, with records of the pipeline's mean event size and the relay's
 * durability (acks=all, idempotent).
 */
export async function kafkaProducerPerf(options: {
  readonly brokers: string;
  readonly topic: string;
  readonly records: number;
  readonly recordBytes: number;
}): Promise<ProducerPerfResult> {
  const settings = ['acks=all', 'enable.idempotence=true', 'linger.ms=5'];
  const { stdout } = await run(
    'bash',
    [
      path.join(WORKSPACE_ROOT, 'deploy/local/stack.sh'),
      'kafka-tool',
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      options.topic,
      '--num-records',
      String(options.records),
      '--record-size',
      String(options.recordBytes),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${options.brokers}`,
      ...settings,
    ],
    { cwd: WORKSPACE_ROOT, timeout: 300000, maxBuffer: 16 * 1024 * 1024 },
  );
  return { ...parseProducerPerf(stdout), recordBytes: options.recordBytes, settings: settings.join(' ') };
}

export interface PgbenchResult {
  readonly clients: number;
  readonly seconds: number;
  readonly transactions: number;
  readonly tps: number;
  readonly latencyAvgMs: number;
}

/** tps (without initial connection time) and average latency from pgbench's report. */
export function parsePgbench(output: string): Omit<PgbenchResult, 'clients' | 'seconds'> {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  const processed = /number of transactions actually processed: (\d+)/.exec(output);
  const latency = /latency average = ([\d.]+) ms/.exec(output);
  if (!tps || !processed || !latency)
    throw new Error(`no pgbench summary in its output:\n${output.slice(-2000)}`);
  return { tps: Number(tps[1]), transactions: Number(processed[1]), latencyAvgMs: Number(latency[1]) };
}

/**
 * One routing hop's writes, as the service makes them, replayed by pgbench on a copy of a routed
 * case: claim the event in processed_events (and draw the new ids), read the rules revision,
 * insert the routing case and its decision, queue the case.routed outbox row; then, as the relay,
 * take that row off the pending queue. Same tables, indexes and triggers as the service's database.
 */
export const ROUTING_HOP_SCRIPT = `
BEGIN;
INSERT INTO processed_events (handler, event_id, topic, partition, kafka_offset)
  VALUES ('pgbench', gen_random_uuid(), 'case.submitted', :client_id, 0)
  ON CONFLICT DO NOTHING
  RETURNING event_id, gen_random_uuid() AS case_id, gen_random_uuid() AS routing_id \\gset
SELECT revision FROM routing_rules_revision;
INSERT INTO routing_cases (case_id, item_code, office_id, accepted_at, snapshot, status, current_routing_id)
  SELECT :case_id::uuid, item_code, office_id, accepted_at, snapshot, status, :routing_id::uuid FROM pgbench_case;
INSERT INTO routing_decisions
  (routing_id, case_id, outcome, origin, rule_id, rule_version, basis, competent_region, assignments,
   cross_district, time_limit_days, sla_due_at, explanation, decided_by, decided_at)
  SELECT :routing_id::uuid, :case_id::uuid, outcome, origin, rule_id, rule_version, basis, competent_region, assignments,
         cross_district, time_limit_days, sla_due_at, explanation, decided_by, decided_at FROM pgbench_decision;
INSERT INTO outbox (event_id, topic, message_key, payload, headers)
  SELECT gen_random_uuid(), topic, :case_id::text, payload, headers FROM pgbench_outbox RETURNING id AS outbox_id \\gset
COMMIT;
DELETE FROM outbox_pending WHERE id = :outbox_id::bigint;
`;

/**
 * Runs ROUTING_HOP_SCRIPT with pgbench against `databaseUrl` (a routing database holding at least
 * one routed case), once per client count.
 */
export async function pgbenchRoutingHop(
  databaseUrl: string,
  clientCounts: readonly number[],
  seconds: number,
): Promise<PgbenchResult[]> {
  await run('pgbench', ['--version']).catch(() => {
    throw new Error(
      'pgbench is not installed: apt-get install postgresql-client (or run with --skip-limits)',
    );
  });
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const directory = mkdtempSync(path.join(tmpdir(), 'tongban-pgbench-'));
  try {
    await client.query(`
      CREATE TABLE pgbench_case AS SELECT * FROM routing_cases LIMIT 1;
      CREATE TABLE pgbench_decision AS SELECT * FROM routing_decisions WHERE outcome = 'routed' LIMIT 1;
      CREATE TABLE pgbench_outbox AS SELECT * FROM outbox WHERE topic = 'case.routed' LIMIT 1`);
    const script = path.join(directory, 'routing-hop.sql');
    writeFileSync(script, ROUTING_HOP_SCRIPT);
    const url = new URL(databaseUrl);
    const results: PgbenchResult[] = [];
    for (const clients of clientCounts) {
      const { stdout } = await run(
        'pgbench',
        [
          '--no-vacuum',
          '--protocol=extended',
          `--client=${clients}`,
          `--jobs=${Math.min(clients, 2)}`,
          `--time=${seconds}`,
          `--file=${script}`,
          `--host=${url.hostname}`,
          `--port=${url.port || '5432'}`,
          `--username=${decodeURIComponent(url.username) || 'postgres'}`,
          url.pathname.slice(1),
        ],
        {
          env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
          timeout: (seconds + 60) * 1000,
        },
      );
      results.push({ clients, seconds, ...parsePgbench(stdout) });
    }
    return results;
  } finally {
    await client.end();
    rmSync(directory, { recursive: true, force: true });
  }
}
