/**
 * Where integration tests find Kafka, Postgres and Redis. `npm test` starts the local stack and
 * exports these variables; globalSetup fills them from testcontainers when a Docker engine
 * answers instead. A test never runs against a service it could not find.
 */
export interface TestEnvironment {
  readonly kafkaBrokers: string[];
  /** Server URL whose database part tests replace with a throwaway database of their own. */
  readonly postgresUrl: string;
  readonly redisUrl: string;
  /** How tests stop and start the broker to simulate an outage. */
  readonly brokerControl: 'local-stack' | 'docker';
}

export const LOCAL_STACK_HINT =
  'start the local stack with `npm run stack:start` and run the tests through `npm test`, ' +
  'or export KAFKA_BROKERS, DATABASE_URL (or PGHOST/PGPORT/PGUSER) and REDIS_URL';

export function postgresUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  if (env['DATABASE_URL']) return env['DATABASE_URL'];
  if (!env['PGHOST']) return undefined;
  const user = encodeURIComponent(env['PGUSER'] ?? 'postgres');
  const password = env['PGPASSWORD'] ? `:${encodeURIComponent(env['PGPASSWORD'])}` : '';
  return `postgres://${user}${password}@${env['PGHOST']}:${env['PGPORT'] ?? '5432'}/${env['PGDATABASE'] ?? 'postgres'}`;
}

export function testEnvironment(env: NodeJS.ProcessEnv = process.env): TestEnvironment {
  const brokers = env['KAFKA_BROKERS'];
  const postgresUrl = postgresUrlFromEnv(env);
  const redisUrl = env['REDIS_URL'];
  const missing = [
    brokers ? null : 'KAFKA_BROKERS',
    postgresUrl ? null : 'DATABASE_URL',
    redisUrl ? null : 'REDIS_URL',
  ].filter((name): name is string => name !== null);
  if (missing.length > 0 || !brokers || !postgresUrl || !redisUrl) {
    throw new Error(
      `Integration tests need Kafka, Postgres and Redis (unset: ${missing.join(', ')}): ${LOCAL_STACK_HINT}`,
    );
  }
  return {
    kafkaBrokers: brokers.split(',').map((b) => b.trim()),
    postgresUrl,
    redisUrl,
    brokerControl: env['TONGBAN_KAFKA_CONTAINER_ID'] ? 'docker' : 'local-stack',
  };
}
