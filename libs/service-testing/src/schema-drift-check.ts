import { runMigrationsLocked, schemaDrift, type TableDefinition } from '@tongban/database';
import { createTestDatabase, testEnvironment } from '@tongban/testing';
import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Where a service's declared tables and its migrations disagree, on a throwaway database
 * migrated from nothing: empty when they agree.
 */
export async function migratedSchemaDrift(
  label: string,
  options: (databaseUrl: string) => DataSourceOptions,
  tables: readonly TableDefinition[],
): Promise<string[]> {
  const database = await createTestDatabase(testEnvironment().postgresUrl, `${label}_schema`);
  const dataSource = new DataSource(options(database.url));
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    return await schemaDrift(dataSource, tables);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}
