import path from 'node:path';
import { type GitInfo, int, type MachineInfo, markdownTable, ms, writeFormatted } from '../bench-report';
import { type SoakWindow, soakTrends } from './soak-windows';

export interface SoakReport {
  readonly benchmark: 'soak';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly git: GitInfo;
  readonly parameters: {
    readonly minutes: number;
    readonly windowMinutes: number;
    readonly rate: number;
    /** How the rate was chosen: given, or a share of a saturation measured first. */
    readonly rateSource: string;
  };
  readonly windows: readonly SoakWindow[];
  /** From the end of the load until every accepted case had its parcel. */
  readonly drainSeconds: number;
  /** Accepted cases still without a parcel after the drain wait. */
  readonly lost: number;
  /** Failed POST /cases during the soak, by status or error. */
  readonly failures: Readonly<Record<string, number>>;
}

const MIB = 1024 * 1024;
const clock = (epochMs: number) => new Date(epochMs).toISOString().slice(11, 19);

export function soakMarkdown(report: SoakReport): string {
  const { windows } = report;
  const services = Object.keys(windows[0]?.databaseBytes ?? {});
  const groups = Object.keys(windows[0]?.lagAtEnd ?? {});
  const processes = windows[0]?.usage.map((usage) => usage.name) ?? [];
  const accepted = windows.reduce((total, window) => total + window.accepted, 0);
  const first = windows[0];
  const last = windows.at(-1);
  const perCase = (bytes: (window: SoakWindow) => number) =>
    first && last && accepted > 0 ? int((bytes(last) - bytes(first)) / accepted) : '-';
  const trends = soakTrends(windows);
  return [
    `# Soak ${report.startedAt.slice(0, 10)}: ${report.parameters.minutes} min at ${report.parameters.rate} cases/s`,
    '',
    `Started ${report.startedAt}, finished ${report.finishedAt}; commit ${report.git.commit}${report.git.measuredCodeModified === true ? ' (measured code modified since)' : ''}.`,
    `Machine: ${report.machine.cpuModel}, ${report.machine.cores} cores, ${report.machine.memoryGiB} GiB, ${report.machine.os}, Node ${report.machine.node}; load average at start ${report.machine.loadAverageAtStart.join(' / ')}.`,
    `Offered: ${report.parameters.rate} 秒批 cases/s collected at the window (${report.parameters.rateSource}), in ${report.parameters.windowMinutes}-minute windows. Run with \`npm run soak\`.`,
    '',
    report.lost === 0
      ? `**${accepted} cases accepted; after the load stopped every one had its parcel within ${report.drainSeconds.toFixed(1)} s.**`
      : `**${accepted} cases accepted; ${report.lost} still had no parcel ${report.drainSeconds.toFixed(1)} s after the load stopped.**`,
    '',
    `Failed POST /cases (the measuring saturation included): ${
      Object.entries(report.failures)
        .map(([reason, count]) => `${count} × ${reason}`)
        .join(', ') || 'none'
    }.`,
    '',
    '## Verdicts',
    '',
    markdownTable(
      ['series', 'from', 'last', 'reading', 'levels off'],
      trends.map((item) => [
        item.what,
        int(item.from),
        int(item.last),
        item.reading,
        item.levelsOff ? 'yes' : '**NO**',
      ]),
    ),
    '',
    '## Cases per window',
    '',
    markdownTable(
      [
        'window',
        'accepted',
        'failed POST',
        'completed/s',
        'e2e p50',
        'p95',
        'p99',
        'max (ms)',
        'POST p50',
        'p99 (ms)',
        'unfinished',
      ],
      windows.map((window) => [
        `${clock(window.startedAt)}–${clock(window.endedAt)}`,
        String(window.accepted),
        String(window.failedPosts),
        window.completedPerSecond.toFixed(1),
        ms(window.endToEndMs.p50),
        ms(window.endToEndMs.p95),
        ms(window.endToEndMs.p99),
        ms(window.endToEndMs.max),
        ms(window.postMs.p50),
        ms(window.postMs.p99),
        String(window.unfinished),
      ]),
    ),
    '',
    '## Peak memory (PSS, MiB) and CPU (cores) per window',
    '',
    markdownTable(
      ['window', ...processes],
      windows.map((window) => [
        String(window.index + 1),
        ...processes.map((name) => {
          const usage = window.usage.find((item) => item.name === name);
          return usage ? `${int(usage.peakMemoryMiB)} / ${usage.cpuCores.toFixed(2)}` : '-';
        }),
      ]),
    ),
    '',
    '## Consumer lag (messages): highest sampled / at window end',
    '',
    markdownTable(
      ['window', ...groups],
      windows.map((window) => [
        String(window.index + 1),
        ...groups.map((group) => `${window.maxLag[group] ?? 0} / ${window.lagAtEnd[group] ?? 0}`),
      ]),
    ),
    '',
    '## Database and topic sizes at window end (MiB)',
    '',
    markdownTable(
      ['window', ...services, 'topic records', 'broker data dir'],
      windows.map((window) => [
        String(window.index + 1),
        ...services.map((name) => ((window.databaseBytes[name] ?? 0) / MIB).toFixed(1)),
        String(window.topicRecords),
        window.topicBytes === undefined ? '-' : (window.topicBytes / MIB).toFixed(1),
      ]),
    ),
    '',
    `Growth per accepted case over the run: ${services
      .map((name) => `${name} ${perCase((window) => window.databaseBytes[name] ?? 0)} B`)
      .join(', ')}; topics ${perCase((window) => window.topicRecords)} records and ${perCase(
      (window) => window.topicBytes ?? 0,
    )} B on disk. Databases and topics grow with the cases they hold until retention (OUTBOX_RETENTION_HOURS, PROCESSED_EVENTS_RETENTION_HOURS, Kafka's retention.ms) removes them, so they are judged per case, not for levelling off.`,
    '',
  ].join('\n');
}

export async function writeSoakReport(
  report: SoakReport,
  directory: string,
  name: string,
): Promise<{ markdown: string; json: string }> {
  const markdown = path.join(directory, `${name}.md`);
  const json = path.join(directory, `${name}.json`);
  await writeFormatted(markdown, soakMarkdown(report));
  await writeFormatted(json, JSON.stringify(report));
  return { markdown, json };
}
