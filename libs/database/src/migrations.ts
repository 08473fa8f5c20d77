import { Client } from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { MIGRATIONS_TABLE } from './data-source-options';

// Arbitrary but fixed: every instance of every service agrees on it, so two replicas starting
// together never run the same migration twice.
const MIGRATION_LOCK_KEY = 7_341_002_019;

/** Runs pending migrations under a Postgres advisory lock; returns the names that ran. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await recordRenamedMigrations(lockRunner, dataSource.migrations);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await lockRunner.release();
  }
}

/** Creates the database named in the URL when it does not exist yet (needs CREATEDB). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(database)) {
    throw new Error(`Refusing to create database with unusual name "${database}"`);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${database}"`);
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if ((error as { code?: string }).code !== '42P04') throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/**
 * A migration that took over another's name (e.g. a new timestamp) says so with `replaces`:
 * TypeORM knows a migration by its recorded name, so a database that ran the old name would run
 * the renamed one again. The old record is renamed first, under the migration lock.
 */
interface RenamedMigration extends MigrationInterface {
  readonly name: string;
  readonly replaces: string;
}

function isRenamed(migration: MigrationInterface): migration is RenamedMigration {
  const candidate = migration as Partial<RenamedMigration>;
  return typeof candidate.replaces === 'string' && typeof candidate.name === 'string';
}

async function recordRenamedMigrations(
  runner: QueryRunner,
  migrations: readonly MigrationInterface[],
): Promise<void> {
  const renamed = migrations.filter(isRenamed);
  if (renamed.length === 0 || !(await runner.hasTable(MIGRATIONS_TABLE))) return;
  for (const migration of renamed) {
    await runner.query(`UPDATE ${MIGRATIONS_TABLE} SET name = $1, timestamp = $2 WHERE name = $3`, [
      migration.name,
      Number(migration.name.slice(-13)),
      migration.replaces,
    ]);
  }
}
