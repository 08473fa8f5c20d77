import path from 'node:path';
import {
  distributionRow,
  type GitInfo,
  int,
  LATENCY_HEADER,
  type MachineInfo,
  markdownTable,
  ms,
  textTable,
  writeFormatted,
} from '../bench-report';
import type { Distribution } from '../latency-distribution';
import type { HopLatency } from './hop-timeline';
import type { PgbenchResult, ProducerPerfResult } from './machine-limits';
import type { GroupUsage } from './process-sampler';

export interface PhaseResult {
  readonly seconds: number;
  /** Closed loop (saturation) or the paced rate offered (latency phase). */
  readonly offered: string;
  readonly accepted: number;
  readonly acceptedPerSecond: number;
  /** Cases whose parcel was committed inside the window, per second: the pipeline's throughput. */
  readonly completedPerSecond: number;
  /** Accepted but without a parcel when the window closed. */
  readonly backlogAtEnd: number;
  /** From the window's end until every accepted case had its parcel. */
  readonly drainSeconds: number;
  readonly postCasesMs: Distribution;
  readonly hops: readonly HopLatency[];
  readonly usage: readonly GroupUsage[];
  readonly failedPosts: number;
}

export interface PipelineReport {
  readonly benchmark: 'pipeline';
  readonly label: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly stack: { readonly kafka: string; readonly postgres: string; readonly topicPartitions: number };
  readonly git: GitInfo;
  /** Service settings of this run (environment), the knobs the tuning turned. */
  readonly serviceEnv: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, number | string>>;
  readonly meanEventBytes: number;
  readonly saturation: PhaseResult;
  readonly latency: PhaseResult;
  readonly limits?: {
    readonly kafkaProducer: ProducerPerfResult;
    readonly pgbench: readonly PgbenchResult[];
    /** Sustained cases/s over the best pgbench routing-hop tps. */
    readonly pipelineToPgbench: number;
  };
  readonly before?: PipelineReport;
}

const USAGE_HEADER = ['process', 'CPU (cores)', 'peak memory (MiB)'];
const usageRows = (usage: readonly GroupUsage[]) =>
  usage.map((group) => [group.name, group.cpuCores.toFixed(2), int(group.peakMemoryMiB)]);

const PHASE_HEADER = ['', 'value'];
function phaseRows(phase: PhaseResult): string[][] {
  return [
    ['window (s)', phase.seconds.toFixed(1)],
    ['offered', phase.offered],
    ['accepted cases/s (POST /cases 201)', phase.acceptedPerSecond.toFixed(1)],
    ['**completed cases/s (parcel ready)**', phase.completedPerSecond.toFixed(1)],
    ['accepted, no parcel yet at window end', String(phase.backlogAtEnd)],
    ['drain after the window (s)', phase.drainSeconds.toFixed(1)],
    ['failed POSTs', String(phase.failedPosts)],
  ];
}

const hopRows = (phase: PhaseResult) => [
  distributionRow('POST /cases (client)', phase.postCasesMs),
  ...phase.hops.map((hop) => distributionRow(hop.name, hop.ms)),
];

function comparisonRows(after: PipelineReport, before: PipelineReport): string[][] {
  const e2e = (report: PipelineReport) => report.latency.hops.at(-1)!.ms;
  const cpu = (report: PipelineReport) =>
    report.saturation.usage.reduce((total, group) => total + group.cpuCores, 0);
  const row = (label: string, was: number, now: number, digits = 1) => [
    label,
    was.toFixed(digits),
    now.toFixed(digits),
    `${was === 0 ? '-' : `${(((now - was) / was) * 100).toFixed(0)} %`}`,
  ];
  return [
    row(
      'completed cases/s at saturation',
      before.saturation.completedPerSecond,
      after.saturation.completedPerSecond,
    ),
    row(
      'accepted cases/s at saturation',
      before.saturation.acceptedPerSecond,
      after.saturation.acceptedPerSecond,
    ),
    row('latency phase: offered cases/s', before.latency.acceptedPerSecond, after.latency.acceptedPerSecond),
    row('latency phase: end to end p50 (ms)', e2e(before).p50, e2e(after).p50),
    row('latency phase: end to end p99 (ms)', e2e(before).p99, e2e(after).p99),
    row('CPU at saturation, all processes (cores)', cpu(before), cpu(after), 2),
  ];
}

function envRows(env: Readonly<Record<string, string>>): string[][] {
  const entries = Object.entries(env);
  return entries.length > 0 ? entries.map(([name, value]) => [`\`${name}\``, value]) : [['(defaults)', '']];
}

function phaseSection(title: string, intro: string, phase: PhaseResult): string[] {
  return [
    `## ${title}`,
    '',
    intro,
    '',
    markdownTable(PHASE_HEADER, phaseRows(phase)),
    '',
    'Latency per hop (ms), from the timestamps PostgreSQL wrote in the four databases ' +
      '(outbox `created_at`/`published_at`, the consumer transaction start in `processed_events`):',
    '',
    markdownTable(LATENCY_HEADER, hopRows(phase)),
    '',
    'CPU (average cores over the window) and peak memory (highest sampled PSS, summed over the ' +
      "group's processes) per process:",
    '',
    markdownTable(USAGE_HEADER, usageRows(phase.usage)),
    '',
  ];
}

export function pipelineMarkdown(report: PipelineReport): string {
  const { machine, limits } = report;
  const lines = [
    `# Pipeline benchmark, ${report.startedAt.slice(0, 10)} (${report.label})`,
    '',
    'Generated by `npm run bench` (`tools/bench/src/pipeline/pipeline.bench.ts`); the JSON file beside ' +
      'this one holds the same figures. The four built services run as processes, one instance each, on ' +
      'the local stack (one Kafka broker, PostgreSQL, Redis) of this one machine, and take 秒批 cases ' +
      '(失业保险金申领, approved with no reviewer) collected at the window: POST /cases -> case.submitted -> ' +
      'routing -> case.routed -> approval -> case.decided -> delivery (parcel ready for pickup).',
    '',
    markdownTable(
      ['', 'value'],
      [
        ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
        ['memory', `${machine.memoryGiB} GiB`],
        ['Node.js', machine.node],
        ['Kafka', `${report.stack.kafka}, ${report.stack.topicPartitions} partitions per topic, 1 broker`],
        ['PostgreSQL', report.stack.postgres],
        [
          'load average at start, end',
          `${machine.loadAverageAtStart.join(' / ')}, ${machine.loadAverageAtEnd?.join(' / ') ?? '-'}`,
        ],
        [
          'git commit',
          `${report.git.commit}${report.git.measuredCodeModified === true ? ' (measured code modified)' : ''}`,
        ],
        ['run', `${report.startedAt} to ${report.finishedAt}`],
        ['mean event size (bytes, JSON)', String(report.meanEventBytes)],
      ],
    ),
    '',
    'Parameters:',
    '',
    markdownTable(
      ['parameter', 'value'],
      Object.entries(report.parameters).map(([name, value]) => [`\`${name}\``, String(value)]),
    ),
    '',
    'Service settings of this run:',
    '',
    markdownTable(['variable', 'value'], envRows(report.serviceEnv)),
    '',
    ...phaseSection(
      'Saturation: sustained throughput',
      `${report.parameters['clients']} clients POST cases back to back (closed loop) for ` +
        `${report.saturation.seconds.toFixed(0)} s after a warm-up. The sustained throughput is the rate at ` +
        'which cases came out at the end of the pipeline (parcel committed) inside the window; cases ' +
        'accepted faster than that pile up as consumer lag (the backlog line) and latency grows with it.',
      report.saturation,
    ),
    ...phaseSection(
      'Latency at a sustainable rate',
      `Cases offered at a fixed ${report.latency.offered} (${report.parameters['latencyShare']} of the ` +
        'sustained throughput) for ' +
        `${report.latency.seconds.toFixed(0)} s: the latency a case sees when the pipeline keeps up.`,
      report.latency,
    ),
  ];
  if (limits) {
    const best = limits.pgbench.reduce((top, result) => (result.tps > top.tps ? result : top));
    lines.push(
      "## The machine's limits, measured in the same run",
      '',
      `Kafka's own \`ProducerPerformance\` (from the broker's jars, \`stack.sh kafka-tool\`): ` +
        `${limits.kafkaProducer.records} records of ${limits.kafkaProducer.recordBytes} bytes ` +
        `(${limits.kafkaProducer.settings}) to a topic of the same partition count: ` +
        `**${int(limits.kafkaProducer.recordsPerSecond)} records/s** ` +
        `(${limits.kafkaProducer.mebibytesPerSecond.toFixed(1)} MB/s), latency avg ` +
        `${limits.kafkaProducer.avgLatencyMs.toFixed(1)} ms, p50 ${limits.kafkaProducer.p50Ms} ms, p99 ` +
        `${limits.kafkaProducer.p99Ms} ms. A case puts 4 events on Kafka.`,
      '',
      "pgbench replaying one routing hop's writes (`ROUTING_HOP_SCRIPT` in `machine-limits.ts`: claim in " +
        'processed_events, rules revision read, routing case + decision rows, outbox row with its ' +
        "outbox_pending trigger, commit, then the relay's delete from outbox_pending) on a copy of the run's routing database, " +
        'with the services stopped:',
      '',
      markdownTable(
        ['pgbench clients', 'seconds', 'transactions', 'hop tx/s', 'latency avg (ms)'],
        limits.pgbench.map((result) => [
          String(result.clients),
          String(result.seconds),
          String(result.transactions),
          int(result.tps),
          result.latencyAvgMs.toFixed(2),
        ]),
      ),
      '',
      `**Pipeline throughput / pgbench limit: ${report.saturation.completedPerSecond.toFixed(1)} / ` +
        `${int(best.tps)} = ${limits.pipelineToPgbench.toFixed(3)}** (a case costs four such database ` +
        'transactions, intake plus three hops, and four relay updates, all on the one PostgreSQL).',
      '',
    );
  }
  if (report.before) {
    lines.push(
      `## Before and after tuning (${report.before.label} -> ${report.label})`,
      '',
      `"${report.before.label}": commit ${report.before.git.commit.slice(0, 10)}, settings ` +
        `${JSON.stringify(report.before.serviceEnv)}; its full report is embedded in the JSON file.`,
      '',
      markdownTable(
        [' ', report.before.label, report.label, 'change'],
        comparisonRows(report, report.before),
      ),
      '',
    );
  }
  return lines.join('\n');
}

export function pipelineSummary(report: PipelineReport): string {
  const e2e = report.latency.hops.at(-1)!.ms;
  const lines = [
    `saturation: ${report.saturation.completedPerSecond.toFixed(1)} cases/s completed ` +
      `(${report.saturation.acceptedPerSecond.toFixed(1)}/s accepted, backlog at end ${report.saturation.backlogAtEnd})`,
    `latency phase at ${report.latency.offered}: end to end p50 ${ms(e2e.p50)} ms, p95 ${ms(e2e.p95)} ms, ` +
      `p99 ${ms(e2e.p99)} ms`,
    textTable(LATENCY_HEADER, hopRows(report.latency)),
    textTable(USAGE_HEADER, usageRows(report.saturation.usage)),
  ];
  if (report.limits) {
    lines.push(
      `kafka producer-perf: ${int(report.limits.kafkaProducer.recordsPerSecond)} records/s; pgbench hop tx/s: ` +
        report.limits.pgbench.map((result) => `${int(result.tps)} (${result.clients} clients)`).join(', ') +
        `; pipeline / pgbench = ${report.limits.pipelineToPgbench.toFixed(3)}`,
    );
  }
  return lines.join('\n');
}

export async function writePipelineReport(
  report: PipelineReport,
  directory: string,
  name: string,
): Promise<{ markdown: string; json: string }> {
  const markdown = path.join(directory, `${name}.md`);
  const json = path.join(directory, `${name}.json`);
  await writeFormatted(markdown, pipelineMarkdown(report));
  await writeFormatted(json, JSON.stringify(report));
  return { markdown, json };
}
