import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';

export const STACK_HINT =
  'start the local stack with `npm run stack:start`, or point KAFKA_BROKERS and DATABASE_URL at a running one';

/** The stack is not there: reported as one line with the hint, not as a stack trace. */
export class StackUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what} (${cause instanceof Error ? cause.message : String(cause)}): ${STACK_HINT}`);
    this.name = 'StackUnavailableError';
  }
}

export interface BenchStack {
  readonly kafkaBrokers: string[];
  /** Server URL; the bench swaps its database part for a throwaway database of its own. */
  readonly serverUrl: string;
}

export function benchStackFromEnv(env: NodeJS.ProcessEnv = process.env): BenchStack {
  return {
    kafkaBrokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker.length > 0),
    serverUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}

/** host:port of a URL: what a report may show without leaking a password. */
export function serverAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Returns the server version; fails with the stack hint when PostgreSQL does not answer. */
export async function checkPostgres(serverUrl: string): Promise<string> {
  try {
    return await withClient(serverUrl, async (client) => {
      const result = await client.query<{ server_version: string }>('SHOW server_version');
      return result.rows[0]?.server_version ?? 'unknown';
    });
  } catch (error) {
    throw new StackUnavailableError(`PostgreSQL is not reachable at ${serverAddress(serverUrl)}`, error);
  }
}

export function benchKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 200 },
  });
}

/**
 * Connects an admin client and returns the partition count of a project topic, which the bench
 * topic copies; fails with the stack hint when the broker or the project's topics are missing.
 */
export async function checkKafka(admin: Admin, brokers: string[], templateTopic: string): Promise<number> {
  try {
    await admin.connect();
  } catch (error) {
    throw new StackUnavailableError(`Kafka is not reachable at ${brokers.join(',')}`, error);
  }
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [templateTopic] });
    return metadata.topics[0]?.partitions.length ?? 1;
  } catch (error) {
    throw new StackUnavailableError(`Kafka answers but has no topic ${templateTopic}`, error);
  }
}

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string, runId: string): Promise<BenchDatabase> {
  const name = `tongban_bench_${runId}`;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () =>
      withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/**
 * Undo steps registered as resources are acquired, run newest first whether the bench succeeded
 * or not; one failing step does not keep the others from running.
 */
export class CleanupStack {
  private readonly steps: { label: string; run: () => Promise<unknown> }[] = [];

  push(label: string, run: () => Promise<unknown>): void {
    this.steps.push({ label, run });
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        process.stderr.write(
          `[bench] cleanup "${step.label}" failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
  }
}

/**
 * The files of the local broker deploy/local/stack.sh runs (its cache directory and instance
 * suffix, the same variables the script reads): the pid file for CPU and memory readings, the
 * data directory for the topics' size on disk.
 */
export function localBrokerFiles(root: string, env: NodeJS.ProcessEnv = process.env) {
  const cacheDir = env['TONGBAN_CACHE_DIR'] ?? path.join(root, '.cache');
  const instance = env['TONGBAN_KAFKA_INSTANCE'] ? `-${env['TONGBAN_KAFKA_INSTANCE']}` : '';
  return {
    pidFile: path.join(cacheDir, `kafka${instance}.pid`),
    dataDir: path.join(cacheDir, `kafka-data${instance}`),
  };
}
