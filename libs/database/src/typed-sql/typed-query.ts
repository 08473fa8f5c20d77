import { DataSource, type EntityManager, type QueryResult } from 'typeorm';

/** A transaction's manager, or the data source for a statement of its own. */
export type Queryable = EntityManager | DataSource;

/**
 * The rows of a statement, typed by the caller from a `RowOf<table>` (or a shape built from one):
 * the one place a result is asserted to a row type, instead of a cast at every call.
 */
export async function query<Row>(
  db: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  return (await run(db, sql, params)).rows as Row[];
}

/** The first row of a statement, or undefined. */
export async function queryOne<Row>(
  db: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row | undefined> {
  return (await query<Row>(db, sql, params))[0];
}

/**
 * A writing statement: its RETURNING rows and the rows it affected, separately. (TypeORM's own
 * `query` answers an UPDATE with `[rows, count]` and an INSERT with the rows alone.)
 */
export async function execute<Row = never>(
  db: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<{ rows: Row[]; count: number }> {
  const result = await run(db, sql, params);
  return { rows: result.rows as Row[], count: result.count };
}

async function run(
  db: Queryable,
  sql: string,
  params: readonly unknown[],
): Promise<{ rows: unknown[]; count: number }> {
  const manager = db instanceof DataSource ? db.manager : db;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = (await runner.query(sql, [...params], true)) as QueryResult<unknown>;
    const rows: unknown[] = Array.isArray(result.records) ? result.records : [];
    return { rows, count: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
