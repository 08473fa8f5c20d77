import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectEventually } from './expect-eventually';
import type { Exited } from './node-process';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PrometheusServer {
  readonly url: string;
  /** GET /api/v1/<path> and its `data` (throws on an error answer). */
  api<Data>(path: string): Promise<Data>;
  output(): string;
  stop(): Promise<Exited>;
}

/**
 * A real Prometheus scraping `targets` every second as job `tongban`, with `ruleFiles` loaded
 * and evaluated every second; its own temporary storage, 127.0.0.1 on a free port.
 */
export async function startPrometheus(targets: string[], ruleFiles: string[]): Promise<PrometheusServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'tongban-prometheus-'));
  const config = path.join(directory, 'prometheus.yml');
  // JSON is YAML: the config is written as JSON so no YAML quoting can go wrong.
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: [{ job_name: 'tongban', metrics_path: '/metrics', static_configs: [{ targets }] }],
    }),
  );
  const port = await freePort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exited>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: PrometheusServer = {
    url,
    async api<Data>(apiPath: string): Promise<Data> {
      const response = await fetch(`${url}/api/v1/${apiPath}`);
      const answer = (await response.json()) as { status: string; data: Data; error?: string };
      if (answer.status !== 'success') throw new Error(`${apiPath}: ${answer.error ?? response.status}`);
      return answer.data;
    },
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const result = await exited;
      rmSync(directory, { recursive: true, force: true });
      return result;
    },
  };
  try {
    await expectEventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${output}`);
        const status = (await fetch(`${url}/-/ready`)).status;
        if (status !== 200) throw new Error(`prometheus /-/ready: ${status}`);
      },
      { timeoutMs: 30000, intervalMs: 200 },
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
