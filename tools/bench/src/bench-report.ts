import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Distribution } from './latency-distribution';

export interface LatencyResult {
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly seconds: number;
  readonly events: number;
  readonly received: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly commitToReceiveMs: Distribution;
  /** To the relay's `published_at`, which it stamps once Kafka acknowledged the batch (acks=all). */
  readonly commitToAckMs: Distribution;
  /** The relay's producer sending the same rate straight to Kafka: the consumer-side floor. */
  readonly directSendToReceiveMs: Distribution;
}

/** Medians over `runs` drains of the same backlog, with the spread of the throughput. */
export interface BacklogResult {
  readonly batchSize: number;
  readonly rows: number;
  readonly runs: number;
  readonly drainSeconds: number;
  readonly rowsPerSecond: number;
  readonly rowsPerSecondMin: number;
  readonly rowsPerSecondMax: number;
  readonly prefillRowsPerSecond: number;
}

export interface SustainedResult {
  readonly writers: number;
  readonly seconds: number;
  readonly committed: number;
  readonly committedPerSecond: number;
  readonly published: number;
  readonly publishedPerSecond: number;
  readonly maxBacklog: number;
  readonly backlogAtEnd: number;
  readonly drainSeconds: number;
  /** `published_at - created_at` of every row, both stamped by PostgreSQL. */
  readonly insertToAckMs: Distribution;
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverageAtStart: number[];
  readonly loadAverageAtEnd?: number[];
}

export interface StackInfo {
  readonly kafka: string;
  readonly kafkajs: string;
  readonly postgres: string;
  readonly kafkaBrokers: string;
  readonly postgresServer: string;
  readonly topicPartitions: number;
}

export interface GitInfo {
  readonly commit: string;
  /** Whether the measured code (the libs the bench runs, and the bench) differs from the commit. */
  readonly measuredCodeModified: boolean | 'unknown';
}

export interface BenchReport {
  readonly benchmark: 'outbox-relay';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly stack: StackInfo;
  readonly git: GitInfo;
  readonly parameters: Readonly<Record<string, number | string>>;
  readonly results: {
    readonly latency: LatencyResult;
    readonly backlog: readonly BacklogResult[];
    readonly sustained: SustainedResult;
  };
}

const MEASURED_PATHS = [
  'libs/messaging',
  'libs/contracts',
  'libs/database',
  'libs/observability',
  'tools/bench',
];

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((load) => round(load, 2)),
  };
}

export function kafkaVersionFromPom(root: string): string {
  const pom = readFileSync(path.join(root, 'deploy/local/kafka/pom.xml'), 'utf8');
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
}

export function kafkajsVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export function gitInfo(root: string, measuredPaths: readonly string[] = MEASURED_PATHS): GitInfo {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      measuredCodeModified: git('status', '--porcelain', '--', ...measuredPaths).length > 0,
    };
  } catch {
    return { commit: 'unknown', measuredCodeModified: 'unknown' };
  }
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
export const int = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '-');

export function distributionRow(label: string, stats: Distribution): string[] {
  return [
    label,
    ms(stats.p50),
    ms(stats.p95),
    ms(stats.p99),
    ms(stats.max),
    ms(stats.mean),
    int(stats.count),
  ];
}

function latencyRows(result: LatencyResult): string[][] {
  return [
    distributionRow('commit -> consumer receive', result.commitToReceiveMs),
    distributionRow('commit -> producer ack', result.commitToAckMs),
    distributionRow('baseline: send -> consumer receive', result.directSendToReceiveMs),
  ];
}

export const LATENCY_HEADER = ['latency (ms)', 'p50', 'p95', 'p99', 'max', 'mean', 'events'];
const BACKLOG_HEADER = [
  'batch size',
  'rows',
  'runs',
  'drain (s)',
  'relay rows/s',
  'min-max rows/s',
  'prefill rows/s',
];
const SUSTAINED_HEADER = [
  'writers',
  'seconds',
  'committed rows/s',
  'published rows/s',
  'max backlog',
  'backlog at end',
  'drain after (s)',
];

function backlogRows(results: readonly BacklogResult[]): string[][] {
  return results.map((result) => [
    String(result.batchSize),
    String(result.rows),
    String(result.runs),
    result.drainSeconds.toFixed(2),
    int(result.rowsPerSecond),
    `${int(result.rowsPerSecondMin)}-${int(result.rowsPerSecondMax)}`,
    int(result.prefillRowsPerSecond),
  ]);
}

function sustainedRows(result: SustainedResult): string[][] {
  return [
    [
      String(result.writers),
      result.seconds.toFixed(1),
      int(result.committedPerSecond),
      int(result.publishedPerSecond),
      String(result.maxBacklog),
      String(result.backlogAtEnd),
      result.drainSeconds.toFixed(2),
    ],
  ];
}

/** A fixed-width table for the terminal: first column left-aligned, figures right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function textSummary(report: BenchReport): string {
  const { latency, backlog, sustained } = report.results;
  return [
    `Commit-to-publish latency: ${latency.events} single-event transactions at ${int(latency.achievedRate)}/s ` +
      `(target ${latency.targetRate}/s); received ${latency.received}, missing ${latency.missing}, ` +
      `duplicates ${latency.duplicates}`,
    textTable(LATENCY_HEADER, latencyRows(latency)),
    '',
    'Relay throughput draining a pre-filled backlog (median of the runs)',
    textTable(BACKLOG_HEADER, backlogRows(backlog)),
    '',
    'Sustained write + publish (single-event transactions, relay batch size 500)',
    textTable(SUSTAINED_HEADER, sustainedRows(sustained)),
    `insert -> ack under that load (ms): p50 ${ms(sustained.insertToAckMs.p50)}, ` +
      `p95 ${ms(sustained.insertToAckMs.p95)}, p99 ${ms(sustained.insertToAckMs.p99)}, ` +
      `max ${ms(sustained.insertToAckMs.max)}`,
  ].join('\n');
}

function markdownReport(report: BenchReport): string {
  const { machine, stack, git, results } = report;
  const { latency, backlog, sustained } = results;
  const load = (values: readonly number[] | undefined) => values?.join(' / ') ?? '-';
  return [
    `# Outbox relay benchmark, ${report.startedAt.slice(0, 10)}`,
    '',
    'Generated by `npm run bench:outbox` (`tools/bench/src/outbox-relay.bench.ts`) against the local stack; ' +
      'the JSON file next to this one holds the same figures.',
    '',
    '## Machine and stack',
    '',
    markdownTable(
      ['', 'value'],
      [
        ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
        ['memory', `${machine.memoryGiB} GiB`],
        ['OS', machine.os],
        ['Node.js', machine.node],
        [
          'load average (1/5/15 min) at start, end',
          `${load(machine.loadAverageAtStart)}, ${load(machine.loadAverageAtEnd)}`,
        ],
        ['Kafka (deploy/local/kafka/pom.xml)', `${stack.kafka}, kafkajs ${stack.kafkajs}`],
        ['PostgreSQL', stack.postgres],
        ['bench topic partitions', String(stack.topicPartitions)],
        [
          'git commit',
          `${git.commit}${git.measuredCodeModified === true ? ' (measured code modified)' : ''}`,
        ],
        ['run', `${report.startedAt} to ${report.finishedAt}`],
      ],
    ),
    '',
    '## Parameters',
    '',
    markdownTable(
      ['parameter', 'value'],
      Object.entries(report.parameters).map(([name, value]) => [`\`${name}\``, String(value)]),
    ),
    '',
    '## Commit-to-publish latency',
    '',
    `${latency.events} single-event transactions, each on its own case key, paced at ` +
      `${int(latency.achievedRate)}/s (target ${latency.targetRate}/s) for ${latency.seconds} s while the relay ` +
      `runs, woken by LISTEN/NOTIFY. "commit" is the moment the writer's commit returned; "consumer receive" ` +
      `is when a kafkajs consumer of a fresh group got the fetch holding the message; "producer ack" is the ` +
      `relay's \`published_at\`, stamped after Kafka acknowledged the batch (acks=all). Received ` +
      `${latency.received}, missing ${latency.missing}, duplicates ${latency.duplicates}. The baseline row ` +
      `sends the same rate straight to Kafka with the relay's producer settings for ` +
      `${report.parameters['baselineSeconds']} s: what the broker and the kafkajs consumer cost without any ` +
      'outbox, so "commit -> consumer receive" minus the baseline is what the outbox adds.',
    '',
    markdownTable(LATENCY_HEADER, latencyRows(latency)),
    '',
    '## Relay throughput draining a backlog',
    '',
    'The outbox is pre-filled with the relay stopped (`appendToOutbox`, transactions of ' +
      `${report.parameters['prefillTxSize']} events), then the relay starts and the clock runs until no row is ` +
      `left unpublished (probed every ${report.parameters['pollMs']} ms). Each batch size runs ` +
      `${report.parameters['backlogRepeats']} times, round-robin with the others; the table gives the median ` +
      'and the range over the runs.',
    '',
    markdownTable(BACKLOG_HEADER, backlogRows(backlog)),
    '',
    '## Sustained write and publish',
    '',
    `${sustained.writers} concurrent writers commit single-event transactions as fast as they can for ` +
      `${sustained.seconds.toFixed(1)} s while the relay (batch size 500) runs. "published" counts rows the ` +
      `relay had marked published when the writers stopped; "drain after" is how long the rest took. ` +
      `Insert-to-ack latency under this load (\`published_at - created_at\`, ms): ` +
      `p50 ${ms(sustained.insertToAckMs.p50)}, p95 ${ms(sustained.insertToAckMs.p95)}, ` +
      `p99 ${ms(sustained.insertToAckMs.p99)}, max ${ms(sustained.insertToAckMs.max)}.`,
    '',
    markdownTable(SUSTAINED_HEADER, sustainedRows(sustained)),
    '',
    '## Caveats',
    '',
    '- Writers, relay and consumer share one Node.js process, as the relay shares its service process; ' +
      'Kafka, PostgreSQL and that process share the same cores, and other work on the machine (see the load ' +
      'average) moves the figures.',
    '- Events go to a throwaway topic created for the run (same partition count as `case.sla`), so services ' +
      'and test consumers of the real topics never see them; a row trigger in the throwaway database sets ' +
      'the topic, and the relay code is unchanged.',
    '',
  ].join('\n');
}

/** Writes `content` to `file`, formatted as the repository's prettier check expects. */
export async function writeFormatted(file: string, content: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const config = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(content, { ...config, filepath: file }));
}

/** Writes `outbox-relay-<date>.md` and `.json`. */
export async function writeReport(
  report: BenchReport,
  directory: string,
): Promise<{ markdown: string; json: string }> {
  const base = path.join(directory, `outbox-relay-${report.startedAt.slice(0, 10)}`);
  const markdown = `${base}.md`;
  const json = `${base}.json`;
  await writeFormatted(markdown, markdownReport(report));
  await writeFormatted(json, JSON.stringify(report));
  return { markdown, json };
}
