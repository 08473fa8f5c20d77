import type { ColumnType, TableDefinition } from './table-definition';
import { query, type Queryable } from './typed-query';

/** information_schema.columns' data_type (udt_name for arrays) of each declared type. */
const DATA_TYPES: Readonly<Record<ColumnType, string>> = {
  uuid: 'uuid',
  text: 'text',
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  'double precision': 'double precision',
  boolean: 'boolean',
  timestamptz: 'timestamp with time zone',
  date: 'date',
  jsonb: 'jsonb',
  'text[]': '_text',
};

interface ColumnInfo {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
}

/**
 * Where the declared tables and the migrated database disagree: a column missing on either side,
 * another type, or another nullability. Empty when they agree. Run it on a freshly migrated
 * database, so the migrations are what is compared.
 */
export async function schemaDrift(db: Queryable, tables: readonly TableDefinition[]): Promise<string[]> {
  const columns = await query<ColumnInfo>(
    db,
    `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [tables.map((definition) => definition.name)],
  );
  const problems: string[] = [];
  for (const definition of tables) {
    const actual = new Map(
      columns.filter((c) => c.table_name === definition.name).map((c) => [c.column_name, c]),
    );
    if (actual.size === 0) {
      problems.push(`${definition.name}: no such table`);
      continue;
    }
    for (const [name, declared] of Object.entries(definition.columns)) {
      const found = actual.get(name);
      if (!found) {
        problems.push(`${definition.name}.${name}: declared but not in the database`);
        continue;
      }
      const type = found.data_type === 'ARRAY' ? found.udt_name : found.data_type;
      if (type !== DATA_TYPES[declared.type])
        problems.push(`${definition.name}.${name}: declared ${declared.type}, the database has ${type}`);
      const nullable = found.is_nullable === 'YES';
      if (nullable !== declared.nullable)
        problems.push(
          `${definition.name}.${name}: declared ${declared.nullable ? 'nullable' : 'NOT NULL'}, the database has ${nullable ? 'nullable' : 'NOT NULL'}`,
        );
    }
    for (const name of actual.keys())
      if (!(name in definition.columns))
        problems.push(`${definition.name}.${name}: in the database but not declared`);
  }
  return problems;
}
