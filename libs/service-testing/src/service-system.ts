import { existsSync } from 'node:fs';
import path from 'node:path';
import { devAuthEnv, devAuthKeys, type DevAuthKeys } from '@tongban/auth';
import { SERVICE_NAMES, type ServiceName } from '@tongban/config';
import { TOPICS } from '@tongban/contracts';
import { createPiiCipher, devPiiEnv, type PiiCipher, piiEnvSchema } from '@tongban/pii';
import { type LocalSmsGateway, startLocalSmsGateway } from '@tongban/sms';
import {
  createTestDatabase,
  type Exited,
  expectEventually,
  type NodeProcess,
  runNode,
  startGroupAtEnd,
  testEnvironment,
  type TestDatabase,
  WORKSPACE_ROOT,
} from '@tongban/testing';

const mainOf = (service: ServiceName) => `dist/services/${service}/src/main.js`;
const migrateOf = (service: ServiceName) => `dist/services/${service}/src/database/migrate.js`;

/** One built service as a child process; restartable on the same database, group and port. */
export class ServiceProcess {
  private current?: NodeProcess;
  /** Everything every incarnation printed (JSON log lines), for scans of the whole run. */
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

  /** The Prometheus scrape port: METRICS_PORT of the environment, apart from the API port. */
  get metricsPort(): number {
    const port = Number(this.env['METRICS_PORT']);
    if (!(port > 0)) throw new Error(`${this.name}: METRICS_PORT is not set to a fixed port`);
    return port;
  }

  get groupId(): string {
    return this.env['KAFKA_GROUP_ID']!;
  }

  get running(): boolean {
    const child = this.current?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The running incarnation's process id (for CPU and memory readings). */
  get pid(): number | undefined {
    return this.running ? this.current?.child.pid : undefined;
  }

  async migrate(): Promise<void> {
    const result = await runNode(migrateOf(this.name), this.env, { onOutput: (text) => this.log.push(text) })
      .exited;
    if (result.code !== 0) throw new Error(`${this.name} migration failed: ${this.output()}`);
  }

  start(extraEnv: Record<string, string> = {}): Promise<Exited> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.current = runNode(
      mainOf(this.name),
      { ...this.env, ...extraEnv },
      {
        onOutput: (text) => this.log.push(text),
      },
    );
    return this.current.exited;
  }

  /** Resolves when /health/ready answers 200. */
  async ready(timeoutMs = 60000): Promise<void> {
    await expectEventually(
      async () => {
        if (this.current && !this.running) throw new Error(`${this.name} exited`);
        const response = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5000) });
        if (response.status !== 200) throw new Error(`${this.name} ready: ${response.status}`);
      },
      { timeoutMs, intervalMs: 250 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${this.name} output (tail) ---\n${this.output().slice(-4000)}`);
    });
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exited> {
    if (!this.current) throw new Error(`${this.name} is not running`);
    if (this.running) this.current.child.kill(signal);
    return this.current.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 20000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.current?.child.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }

  /** The process's own exit (e.g. FAULT_CRASH_AFTER_COMMIT's SIGKILL). */
  exited(): Promise<Exited> {
    return this.current?.exited ?? Promise.resolve({ code: null, signal: null, output: '' });
  }

  output(): string {
    return this.log.join('');
  }
}

export interface SystemOptions {
  /** Names the databases and consumer groups, so runs never share them. */
  readonly label: string;
  /**
   * Service i of SERVICE_NAMES (intake, routing, approval, delivery, notification, supervision)
   * listens on basePort + i and serves its metrics on basePort + 6 + i.
   */
  readonly basePort: number;
  /** Added to every service's environment (and overriding the defaults below). */
  readonly env?: Record<string, string>;
  readonly progress?: (line: string) => void;
  /** Another PostgreSQL server than the shared one (e.g. an OwnedPostgres the test may crash). */
  readonly postgresUrl?: string;
  /** Another Redis than the shared one (e.g. an OwnedRedis the test may crash). */
  readonly redisUrl?: string;
}

/** The credentials the system's notification service and its local SMS gateway share. */
const TEST_SMS = {
  secretId: 'AKIDtongbansystem',
  secretKey: 'tongban-system-test-secret',
  smsSdkAppId: '1400009999',
};

/** A local SMS gateway for a test's notification services, and the environment that points them at it. */
export async function startTestSmsGateway(): Promise<{
  gateway: LocalSmsGateway;
  env: Record<string, string>;
}> {
  const gateway = await startLocalSmsGateway(TEST_SMS);
  return {
    gateway,
    env: {
      SMS_ENDPOINT: gateway.url,
      SMS_SECRET_ID: TEST_SMS.secretId,
      SMS_SECRET_KEY: TEST_SMS.secretKey,
      SMS_SDK_APP_ID: TEST_SMS.smsSdkAppId,
      SMS_QUIET_HOURS: 'off',
    },
  };
}

/**
 * The BUILT services as separate processes, as `npm start` runs them, on the real stack: each
 * with a fresh database migrated by its own migrate script, its own consumer group started at
 * the current end of every topic (so other runs' events on the shared broker are not replayed),
 * and its own port; and a local SMS gateway (in this process) that the notification service
 * texts through, whose inbox shows what each phone received.
 */
export class TongbanSystem {
  private constructor(
    readonly services: Record<ServiceName, ServiceProcess>,
    readonly keys: DevAuthKeys,
    readonly cipher: PiiCipher,
    readonly sms: LocalSmsGateway,
  ) {}

  static async start(options: SystemOptions): Promise<TongbanSystem> {
    const { label, basePort } = options;
    for (const service of SERVICE_NAMES) {
      if (!existsSync(path.join(WORKSPACE_ROOT, mainOf(service))))
        throw new Error(`${mainOf(service)} is missing: run \`npm run build\` first (npm test does)`);
    }
    const stack = testEnvironment();
    const keys = await devAuthKeys();
    const pii = await devPiiEnv();
    const suffix = `${label}-${Date.now().toString(36)}`;
    const services = {} as Record<ServiceName, ServiceProcess>;
    const sms = await startLocalSmsGateway(TEST_SMS);
    const began = Date.now();
    const progress = (what: string) =>
      options.progress?.(`${label} system: ${what} (${Date.now() - began} ms)`);
    try {
      for (const [index, name] of SERVICE_NAMES.entries()) {
        const database = await createTestDatabase(
          options.postgresUrl ?? stack.postgresUrl,
          `${label}_${name}`,
        );
        const env: Record<string, string> = {
          ...devAuthEnv(keys),
          ...pii,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          PORT: String(basePort + index),
          METRICS_PORT: String(basePort + SERVICE_NAMES.length + index),
          DATABASE_URL: database.url,
          KAFKA_BROKERS: stack.kafkaBrokers.join(','),
          REDIS_URL: options.redisUrl ?? stack.redisUrl,
          KAFKA_GROUP_ID: `tongban-${name}-${suffix}`,
          // Subjects' request budgets live in the shared Redis; never let another run's use count.
          AUTH_RATE_LIMIT_MAX_REQUESTS: '1000000',
          // Every simulated applicant calls from this one address.
          AUTH_ANONYMOUS_RATE_LIMIT_MAX_REQUESTS: '1000000',
          // Read by the notification service only.
          SMS_ENDPOINT: sms.url,
          SMS_SECRET_ID: TEST_SMS.secretId,
          SMS_SECRET_KEY: TEST_SMS.secretKey,
          SMS_SDK_APP_ID: TEST_SMS.smsSdkAppId,
          SMS_QUIET_HOURS: 'off',
          SMS_POLL_MS: '200',
          SMS_STATUS_POLL_MS: '1000',
          SMS_RETRY_INITIAL_MS: '500',
          SMS_RETRY_MAX_MS: '5000',
          APPLICANT_BASE_URL: `http://127.0.0.1:${basePort}`,
          ...options.env,
        };
        services[name] = new ServiceProcess(name, basePort + index, env, database);
      }
      await Promise.all(
        SERVICE_NAMES.map((name) =>
          startGroupAtEnd(
            services[name].groupId,
            Object.values(TOPICS),
            services[name].env['KAFKA_BROKERS']!.split(','),
          ),
        ),
      );
      progress('databases created, groups at the end of every topic');
      await Promise.all(SERVICE_NAMES.map((name) => services[name].migrate()));
      progress('migrated');
      for (const name of SERVICE_NAMES) void services[name].start();
      await Promise.all(SERVICE_NAMES.map((name) => services[name].ready(90000)));
      progress(`${SERVICE_NAMES.length} services ready`);
    } catch (error) {
      await Promise.all(
        Object.values(services).map(async (service) => {
          await service.stop();
          await service.database.drop();
        }),
      );
      await sms.close();
      throw error;
    }
    return new TongbanSystem(services, keys, createPiiCipher(piiEnvSchema.parse(pii)), sms);
  }

  get endpoints(): Record<ServiceName, string> {
    return Object.fromEntries(SERVICE_NAMES.map((name) => [name, this.services[name].baseUrl])) as Record<
      ServiceName,
      string
    >;
  }

  /** Stops every service (SIGTERM, then SIGKILL after 20 s), drops the databases, closes the gateway. */
  async stop(): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((name) => this.services[name].stop()));
    await Promise.all(SERVICE_NAMES.map((name) => this.services[name].database.drop()));
    await this.sms.close();
  }
}
