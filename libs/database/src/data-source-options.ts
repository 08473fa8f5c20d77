import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface PostgresSettings {
  readonly url: string;
  readonly poolSize: number;
  /** Shown in pg_stat_activity, so an operator can tell which service holds a connection. */
  readonly applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own signature
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own signature
  readonly migrations: MixedList<Function | string>;
}

export const MIGRATIONS_TABLE = 'typeorm_migrations';

/** Schema changes only ever come from versioned migrations: synchronize stays off everywhere. */
export function postgresDataSourceOptions(settings: PostgresSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    applicationName: settings.applicationName,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    extra: {
      max: settings.poolSize,
      // A dead database must fail a request in seconds, not hang it until the client gives up.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
    },
  };
}
