import { existsSync } from 'node:fs';
import { devAuthEnv, devAuthKeys } from '@tongban/auth';
import { createTestDatabase, expectEventually, testEnvironment, type TestDatabase } from '@tongban/testing';
import { runNode } from '@tongban/testing';
import { fromRoot } from './workspace-root';

const MAIN = 'dist/services/routing/src/main.js';
const MIGRATE = 'dist/services/routing/src/database/migrate.js';

describe('a built service as a process', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync(fromRoot(MAIN)))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    const stack = testEnvironment();
    database = await createTestDatabase(stack.postgresUrl, 'process');
    env = {
      ...devAuthEnv(await devAuthKeys()),
      DATABASE_URL: database.url,
      KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      REDIS_URL: stack.redisUrl,
      KAFKA_GROUP_ID: `tongban-routing-process-${database.name}`,
      PORT: '29102',
      METRICS_PORT: '29106',
    };
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const { exited } = runNode(MAIN, { ...env, KAFKA_BROKERS: 'kafka-without-port', PORT: 'http' });
    const result = await exited;
    expect(result.code).toBe(78);
    expect(result.output).toMatch(/KAFKA_BROKERS: must be a comma-separated list of host:port/);
    expect(result.output).toMatch(/PORT: /);
  }, 30000);

  it('migrates, serves until SIGTERM, then closes cleanly', async () => {
    const migration = await runNode(MIGRATE, env).exited;
    expect(migration.code).toBe(0);
    expect(migration.output).toContain('CreateProcessedEvents1764000000000');
    expect((await runNode(MIGRATE, env).exited).output).toContain('schema up to date');

    const service = runNode(MAIN, env);
    try {
      await expectEventually(
        async () => {
          const response = await fetch(`http://127.0.0.1:${env['PORT']}/health/ready`);
          expect(response.status).toBe(200);
        },
        { timeoutMs: 45000, intervalMs: 250 },
      );
    } catch (error) {
      service.child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- service output ---\n${service.output()}`);
    }
    service.child.kill('SIGTERM');
    const result = await service.exited;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.output).toMatch(/"msg":"shutting down/);
    expect(result.output).toMatch(/"msg":"shutdown complete"/);
    const lines = result.output.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  }, 90000);
});
