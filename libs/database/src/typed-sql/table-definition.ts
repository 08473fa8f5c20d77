/**
 * A table's columns declared once: the row type the queries read and write is inferred from the
 * declaration, and `schemaDrift` compares the same declaration with the migrated database, so a
 * migration and the code cannot disagree silently.
 */

/** PostgreSQL column types as the declarations name them (information_schema spelling aside). */
export type ColumnType =
  | 'uuid'
  | 'text'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'boolean'
  | 'timestamptz'
  | 'date'
  | 'jsonb'
  | 'text[]';

export interface ColumnSpec<Value = unknown, Nullable extends boolean = boolean> {
  readonly type: ColumnType;
  readonly nullable: Nullable;
  /** Carries the TypeScript type of the value; never set at run time. */
  readonly value?: Value;
}

function spec<Value>(type: ColumnType): ColumnSpec<Value, false> & { orNull(): ColumnSpec<Value, true> } {
  return { type, nullable: false, orNull: () => ({ type, nullable: true }) };
}

/**
 * Column constructors, each with the value type pg hands back: bigint as a string (above 2^53),
 * dates and timestamps as Date, jsonb as the declared shape.
 */
export const column = {
  uuid: () => spec<string>('uuid'),
  text: <Value extends string = string>() => spec<Value>('text'),
  smallint: () => spec<number>('smallint'),
  integer: () => spec<number>('integer'),
  bigint: () => spec<string>('bigint'),
  double: () => spec<number>('double precision'),
  boolean: () => spec<boolean>('boolean'),
  timestamptz: () => spec<Date>('timestamptz'),
  date: () => spec<Date>('date'),
  jsonb: <Value>() => spec<Value>('jsonb'),
  textArray: () => spec<string[]>('text[]'),
};

export type Columns = Readonly<Record<string, ColumnSpec>>;

export interface TableDefinition<Name extends string = string, Cols extends Columns = Columns> {
  readonly name: Name;
  readonly columns: Cols;
  /** The column names, comma-separated, for SELECT lists and RETURNING clauses. */
  readonly columnList: string;
  /** The same, each qualified with `alias.`. */
  columnsOf(alias: string): string;
}

export function table<Name extends string, Cols extends Columns>(
  name: Name,
  columns: Cols,
): TableDefinition<Name, Cols> {
  const names = Object.keys(columns);
  return {
    name,
    columns,
    columnList: names.join(', '),
    columnsOf: (alias) => names.map((columnName) => `${alias}.${columnName}`).join(', '),
  };
}

/** The row a `SELECT <columnList>` of the table returns. */
export type RowOf<Table extends TableDefinition> = {
  -readonly [Key in keyof Table['columns']]: Table['columns'][Key] extends ColumnSpec<
    infer Value,
    infer Nullable
  >
    ? Nullable extends true
      ? Value | null
      : Value
    : never;
};
