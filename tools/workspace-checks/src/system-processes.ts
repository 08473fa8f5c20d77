import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devAuthEnv, type DevAuthKeys } from '@tongban/auth';
import { SERVICE_NAMES, type ServiceName } from '@tongban/config';
import { TOPICS } from '@tongban/contracts';
import { devPiiEnv } from '@tongban/pii';
import {
  createTestDatabase,
  expectEventually,
  startGroupAtEnd,
  testEnvironment,
  type TestDatabase,
} from '@tongban/testing';
import { type Exited, runNode } from '@tongban/testing';
import { fromRoot } from './workspace-root';

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly port: number;
  readonly baseUrl: string;
  readonly database: TestDatabase;
  output(): string;
}

/**
 * The four BUILT services as child processes, as `npm start` runs them, on the shared stack:
 * each with a fresh database (migrated by its own migrate script), its own consumer group
 * started at the current end of every topic, and port `basePort + index`.
 */
export class SystemProcesses {
  private readonly children: Partial<Record<ServiceName, ReturnType<typeof runNode>>> = {};

  private constructor(readonly services: Record<ServiceName, ServiceProcess>) {}

  static async start(
    label: string,
    basePort: number,
    keys: DevAuthKeys,
    extraEnv: Record<string, string> = {},
    log: (line: string) => void = () => undefined,
  ): Promise<SystemProcesses> {
    for (const name of SERVICE_NAMES) {
      const main = `dist/services/${name}/src/main.js`;
      if (!existsSync(fromRoot(main)))
        throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    }
    const stack = testEnvironment();
    const pii = await devPiiEnv();
    const suffix = `${label}-${Date.now().toString(36)}`;
    const envs = {} as Record<ServiceName, Record<string, string>>;
    const services = {} as Record<ServiceName, ServiceProcess>;
    const system = new SystemProcesses(services);
    try {
      for (const [index, name] of SERVICE_NAMES.entries()) {
        const database = await createTestDatabase(stack.postgresUrl, `${label}_${name}`);
        const port = basePort + index;
        envs[name] = {
          ...devAuthEnv(keys),
          ...pii,
          NODE_ENV: 'test',
          PORT: String(port),
          DATABASE_URL: database.url,
          KAFKA_BROKERS: stack.kafkaBrokers.join(','),
          REDIS_URL: stack.redisUrl,
          KAFKA_GROUP_ID: `tongban-${name}-${suffix}`,
          // Subjects' request budgets live in the shared Redis; never let another run's use count.
          AUTH_RATE_LIMIT_MAX_REQUESTS: '1000000',
          ...extraEnv,
        };
        let output = '';
        services[name] = {
          name,
          port,
          baseUrl: `http://127.0.0.1:${port}`,
          database,
          output: () => output + (system.children[name]?.output() ?? ''),
        };
        await startGroupAtEnd(envs[name]['KAFKA_GROUP_ID']!, Object.values(TOPICS));
        log(`${name}: database and consumer group ready, migrating`);
        const migration = await runNode(`dist/services/${name}/src/database/migrate.js`, envs[name]).exited;
        output = migration.output;
        if (migration.code !== 0) throw new Error(`${name}: migrations failed:\n${migration.output}`);
      }
      log('starting the services');
      for (const name of SERVICE_NAMES)
        system.children[name] = runNode(`dist/services/${name}/src/main.js`, envs[name]);
      await Promise.all(
        SERVICE_NAMES.map((name) =>
          expectEventually(
            async () => {
              const response = await fetch(`${services[name].baseUrl}/health/ready`);
              if (response.status !== 200) throw new Error(`${name} /health/ready: ${response.status}`);
            },
            { timeoutMs: 90000, intervalMs: 250 },
          ).catch((error: Error) => {
            throw new Error(
              `${error.message}\n--- ${name} output ---\n${services[name].output().slice(-4000)}`,
            );
          }),
        ),
      );
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  /** SIGTERM (SIGKILL after 20 s), then drops the databases. */
  async stop(): Promise<void> {
    await Promise.all(
      Object.values(this.children).map(async ({ child, exited }) => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await Promise.all(Object.values(this.services).map((service) => service.database.drop()));
  }
}

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
