import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Distribution } from './latency-distribution';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverageAtStart: number[];
  readonly loadAverageAtEnd?: number[];
}

export interface GitInfo {
  readonly commit: string;
  /** Whether the measured code (the libs the bench runs, and the bench) differs from the commit. */
  readonly measuredCodeModified: boolean | 'unknown';
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

export const LATENCY_HEADER = ['latency (ms)', 'p50', 'p95', 'p99', 'max', 'mean', 'events'];
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

export async function writeFormatted(file: string, content: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const config = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(content, { ...config, filepath: file }));
}

/** Writes `outbox-relay-<date>.md` and `.json`. */
