import { ConfigError } from '@tongban/config';
import type { ServiceConfig } from './service-config-schema';
import { ensureDatabase, runMigrationsLocked } from '@tongban/database';
import { DataSource } from 'typeorm';
import { loadServiceConfig, type ServiceDefinition } from './bootstrap';

/** Entry point of a service's `migrate` target: creates its database if needed, then migrates. */
export async function runMigrationCli<Config extends ServiceConfig>(
  target: ServiceDefinition<Config>,
): Promise<void> {
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    process.stdout.write(`${JSON.stringify({ level: 'info', service: target.service, msg, ...extra })}\n`);
  try {
    const config = loadServiceConfig(target);
    if (await ensureDatabase(config.DATABASE_URL)) log('database created');
    const dataSource = new DataSource(target.dataSourceOptions(config));
    await dataSource.initialize();
    try {
      const ran = await runMigrationsLocked(dataSource);
      log(ran.length ? 'migrations applied' : 'schema up to date', { migrations: ran });
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    const msg =
      error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`;
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service: target.service, msg })}\n`);
    process.exitCode = 1;
  }
}
