import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { devAuthEnv, devAuthKeys, type DevAuthKeys } from '@tongban/auth';
import { TOPICS } from '@tongban/contracts';
import { createPiiCipher, devPiiEnv, type PiiCipher, piiEnvSchema } from '@tongban/pii';
import { createTestDatabase, startGroupAtEnd, testEnvironment, type TestDatabase } from '@tongban/testing';
import { type Endpoints, eventually, SERVICES, type ServiceName } from './tongban-client';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

const mainOf = (service: ServiceName) => `dist/services/${service}/src/main.js`;
const migrateOf = (service: ServiceName) => `dist/services/${service}/src/database/migrate.js`;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runNode(script: string, env: Record<string, string>, sink: (text: string) => void) {
  const child = spawn('node', ['-r', './tools/runtime-paths.cjs', script], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  child.stdout.on('data', (chunk: Buffer) => sink(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => sink(chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited };
}

/** One built service as a child process; restartable on the same database, group and port. */
export class ServiceProcess {
  private child?: ChildProcessWithoutNullStreams;
  private exitedPromise?: Promise<Exit>;
  /** Everything every incarnation printed (JSON log lines), for the personal-data scan. */
  readonly log: string[] = [];

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    readonly env: Record<string, string>,
    readonly database: TestDatabase,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get groupId(): string {
    return this.env['KAFKA_GROUP_ID']!;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async migrate(): Promise<void> {
    const { exited } = runNode(migrateOf(this.name), this.env, (text) => this.log.push(text));
    const result = await exited;
    if (result.code !== 0) throw new Error(`${this.name} migration failed: ${this.log.join('')}`);
  }

  start(extraEnv: Record<string, string> = {}): Promise<Exit> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const { child, exited } = runNode(mainOf(this.name), { ...this.env, ...extraEnv }, (text) =>
      this.log.push(text),
    );
    this.child = child;
    this.exitedPromise = exited;
    return exited;
  }

  /** Resolves when /health/ready answers 200. */
  async ready(timeoutMs = 60000): Promise<void> {
    await eventually(
      async () => {
        const response = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5000) });
        if (response.status !== 200) throw new Error(`${this.name} ready: ${response.status}`);
      },
      { timeoutMs, intervalMs: 250 },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\n--- ${this.name} output (tail) ---\n${this.log.join('').slice(-4000)}`,
      );
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    if (!this.child || !this.exitedPromise) throw new Error(`${this.name} is not running`);
    if (this.running) this.child.kill(signal);
    return this.exitedPromise;
  }

  /** The process's own exit (e.g. FAULT_CRASH_AFTER_COMMIT's SIGKILL). */
  exited(): Promise<Exit> {
    return this.exitedPromise ?? Promise.resolve({ code: null, signal: null });
  }

  output(): string {
    return this.log.join('');
  }
}

/**
 * The four built services as separate processes on the real stack, each with a fresh database,
 * its own consumer group started at the current end of every topic, and its own port.
 */
export class TongbanSystem {
  private constructor(
    readonly services: Record<ServiceName, ServiceProcess>,
    readonly keys: DevAuthKeys,
    readonly cipher: PiiCipher,
  ) {}

  static async start(
    label: string,
    basePort: number,
    extraEnv: Record<string, string> = {},
  ): Promise<TongbanSystem> {
    for (const service of SERVICES) {
      if (!existsSync(path.join(WORKSPACE_ROOT, mainOf(service))))
        throw new Error(`${mainOf(service)} is missing: run \`npm run build\` first (npm test does)`);
    }
    const stack = testEnvironment();
    const keys = await devAuthKeys();
    const pii = await devPiiEnv();
    const suffix = `${label}-${Date.now().toString(36)}`;
    const services = {} as Record<ServiceName, ServiceProcess>;
    const began = Date.now();
    const progress = (what: string) =>
      process.stdout.write(`${label} system: ${what} (${Date.now() - began} ms)\n`);
    try {
      for (const [index, name] of SERVICES.entries()) {
        const database = await createTestDatabase(stack.postgresUrl, `${label}_${name}`);
        const env: Record<string, string> = {
          ...devAuthEnv(keys),
          ...pii,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          PORT: String(basePort + index),
          DATABASE_URL: database.url,
          KAFKA_BROKERS: stack.kafkaBrokers.join(','),
          REDIS_URL: stack.redisUrl,
          KAFKA_GROUP_ID: `tongban-${name}-${suffix}`,
          AUTH_RATE_LIMIT_MAX_REQUESTS: '1000000',
          ...extraEnv,
        };
        services[name] = new ServiceProcess(name, basePort + index, env, database);
        await startGroupAtEnd(env['KAFKA_GROUP_ID']!, Object.values(TOPICS));
      }
      progress('databases created, groups at the end of every topic');
      await Promise.all(SERVICES.map((name) => services[name].migrate()));
      progress('migrated');
      for (const name of SERVICES) void services[name].start();
      await Promise.all(SERVICES.map((name) => services[name].ready(90000)));
      progress('four services ready');
    } catch (error) {
      await Promise.all(
        Object.values(services).map(async (service) => {
          if (service.running) await service.kill();
          await service.database.drop();
        }),
      );
      throw error;
    }
    return new TongbanSystem(services, keys, createPiiCipher(piiEnvSchema.parse(pii)));
  }

  get endpoints(): Endpoints {
    return Object.fromEntries(SERVICES.map((name) => [name, this.services[name].baseUrl])) as Endpoints;
  }

  async stop(): Promise<void> {
    await Promise.all(
      SERVICES.map(async (name) => {
        const service = this.services[name];
        if (service.running) await service.kill('SIGTERM');
      }),
    );
    await Promise.all(SERVICES.map((name) => this.services[name].database.drop()));
  }
}
