import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  type Actor,
  devAuthEnv,
  devAuthKeys,
  type DevAuthKeys,
  findDevUser,
  mintDevToken,
} from '@tongban/auth';
import { runMigrationsLocked } from '@tongban/database';
import { devPiiEnv } from '@tongban/pii';
import {
  createServiceApp,
  loadServiceConfig,
  MetricsServer,
  type ServiceConfig,
  startServiceApp,
  type ServiceDefinition,
} from '@tongban/runtime';
import { DataSource } from 'typeorm';
import { TOPICS } from '@tongban/contracts';
import {
  createTestDatabase,
  startGroupAtEnd,
  testEnvironment,
  type TestDatabase,
  type TestEnvironment,
} from '@tongban/testing';

export interface BootedService<Config extends ServiceConfig> {
  readonly app: INestApplication;
  readonly config: Config;
  readonly baseUrl: string;
  /** The Prometheus scrape URL, on the service's metrics port (apart from the API). */
  readonly metricsUrl: string;
  readonly database: TestDatabase;
  readonly dataSource: DataSource;
  /** A bearer token for a seeded dev user (by id, see `npm run token -- --list`) or any actor. */
  tokenFor(user: string | Actor): Promise<string>;
  close(): Promise<void>;
}

export interface BootOptions {
  /**
   * Where a new consumer group starts: at the current end of every topic (the default, so a
   * suite sees only its own events) or at the beginning, as in production.
   */
  readonly consumeFrom?: 'now' | 'beginning';
  /**
   * Boot on this database instead of a new one (a second instance, or a restart); the caller
   * keeps it, so close() leaves it in place.
   */
  readonly database?: TestDatabase;
}

/**
 * Boots a whole service against the real stack: its own throwaway database with its migrations
 * applied, its own consumer group, a random HTTP port.
 */
export async function bootService<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
  overrides: Record<string, string> = {},
  options: BootOptions = {},
): Promise<BootedService<Config>> {
  const env = testEnvironment();
  if (options.database) return bootOnDatabase(definition, env, options.database, overrides, options, false);
  const database = await createTestDatabase(env.postgresUrl, definition.service);
  try {
    return await bootOnDatabase(definition, env, database, overrides, options, true);
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function bootOnDatabase<Config extends ServiceConfig>(
  definition: ServiceDefinition<Config>,
  env: TestEnvironment,
  database: TestDatabase,
  overrides: Record<string, string>,
  options: BootOptions,
  ownsDatabase: boolean,
): Promise<BootedService<Config>> {
  const suffix = randomBytes(4).toString('hex');
  const keys = await devAuthKeys();
  const config = loadServiceConfig(definition, {
    ...devAuthEnv(keys),
    // Read only by the services that hold personal data; the others ignore them.
    ...(await devPiiEnv()),
    NODE_ENV: 'test',
    PORT: '0',
    METRICS_PORT: '0',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: `tongban-${definition.service}-test-${suffix}`,
    REDIS_URL: env.redisUrl,
    ...overrides,
  });

  if ((options.consumeFrom ?? 'now') === 'now') {
    await startGroupAtEnd(config.KAFKA_GROUP_ID, Object.values(TOPICS));
  }

  const migrator = new DataSource(definition.dataSourceOptions(config));
  await migrator.initialize();
  try {
    await runMigrationsLocked(migrator);
  } finally {
    await migrator.destroy();
  }

  const app = await createServiceApp(definition, config);
  await startServiceApp(app, config);
  const dataSource = app.get(DataSource);
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    config,
    baseUrl,
    metricsUrl: app.get(MetricsServer).url,
    database,
    dataSource,
    tokenFor: (user) => tokenFor(keys, user),
    close: async () => {
      await app.close();
      if (ownsDatabase) await database.drop();
    },
  };
}

function tokenFor(keys: DevAuthKeys, user: string | Actor): Promise<string> {
  const actor = typeof user === 'string' ? findDevUser(user) : user;
  if (!actor) throw new Error(`no seeded dev user "${String(user)}"; see \`npm run token -- --list\``);
  return mintDevToken(actor, keys);
}
