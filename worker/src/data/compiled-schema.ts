import type { ColumnType } from "../../sdk/kiln/index";
import { decodeValue, type DataRow } from "./column-values";
import { DataError } from "./result";
import { SYSTEM_COLUMNS, type AppSchema, type ColumnDefinition, type TableDefinition } from "./schema";
import { quoteName } from "./sql-layout";

/**
 * Everything a row operation needs about one table, computed once per applied schema and
 * kept in the Durable Object's memory, so the hot path does no parsing or string building.
 */
export interface CompiledTable {
  name: string;
  /** The table name quoted for SQL. */
  sql: string;
  columns: TableDefinition;
  /** Declared column names, for "its columns are …" messages. */
  columnNames: string[];
  /** Only the columns whose stored form differs from the app's (booleans and json). */
  decoders: { name: string; type: ColumnType }[];
  selectById: string;
  deleteById: string;
  countAll: string;
}

/** Compiled tables by exact declared name. */
export type CompiledSchema = Map<string, CompiledTable>;

/** Column types of the system columns, for filtering and ordering by them. */
export const SYSTEM_COLUMN_TYPES: Record<(typeof SYSTEM_COLUMNS)[number], ColumnDefinition> = {
  id: { type: "integer", optional: false, default: null },
  created_at: { type: "datetime", optional: false, default: null },
  updated_at: { type: "datetime", optional: false, default: null },
};

/** Precomputes SQL and decoders for every table of `schema`. */
export function compileSchema(schema: AppSchema): CompiledSchema {
  const compiled: CompiledSchema = new Map();
  for (const [name, columns] of Object.entries(schema)) {
    const quoted = quoteName(name);
    compiled.set(name, {
      name,
      sql: quoted,
      columns,
      columnNames: Object.keys(columns),
      decoders: Object.entries(columns)
        .filter(([, column]) => column.type === "boolean" || column.type === "json")
        .map(([column, definition]) => ({ name: column, type: definition.type })),
      selectById: `SELECT * FROM ${quoted} WHERE id = ?`,
      deleteById: `DELETE FROM ${quoted} WHERE id = ?`,
      countAll: `SELECT COUNT(*) AS n FROM ${quoted}`,
    });
  }
  return compiled;
}

/** Looks a table up by the exact name the app uses, or explains which tables exist. */
export function requireTable(schema: CompiledSchema, name: unknown): CompiledTable {
  const table = typeof name === "string" ? schema.get(name) : undefined;
  if (table) return table;
  const known = [...schema.keys()];
  const shown = typeof name === "string" ? `'${name}'` : String(name);
  const hint =
    known.length > 0
      ? `its tables are ${known.join(", ")}`
      : "it declares no tables yet (export `tables` from the app and publish it)";
  throw new DataError("not_found", `This app has no table ${shown}; ${hint}.`);
}

/** The definition of a declared or system column, or a clear error naming the columns that exist. */
export function requireColumn(table: CompiledTable, name: string, purpose: string): ColumnDefinition {
  const declared = table.columns[name];
  if (declared && Object.hasOwn(table.columns, name)) return declared;
  if (Object.hasOwn(SYSTEM_COLUMN_TYPES, name)) return SYSTEM_COLUMN_TYPES[name as keyof typeof SYSTEM_COLUMN_TYPES];
  throw new DataError(
    "invalid",
    `Can't ${purpose}: table '${table.name}' has no column '${name}'; ${columnList(table)}.`,
  );
}

/** "its columns are id, created_at, updated_at, title, done" for error messages. */
export function columnList(table: CompiledTable): string {
  return `its columns are ${[...SYSTEM_COLUMNS, ...table.columnNames].join(", ")}`;
}

/** Turns a row read from SQLite into the app's shape (0/1 → booleans, json text → data). */
export function decodeRow(table: CompiledTable, row: Record<string, SqlStorageValue>): DataRow {
  const decoded = plainRow(row);
  for (const { name, type } of table.decoders) {
    const stored = row[name];
    if (stored !== undefined) decoded[name] = decodeValue(type, stored);
  }
  return decoded;
}

/** Copies a SQLite row into plain data; blobs (only possible in backups or raw queries) become null. */
export function plainRow(row: Record<string, SqlStorageValue>): DataRow {
  const plain: DataRow = {};
  for (const key of Object.keys(row)) {
    const value = row[key];
    plain[key] = value === undefined || value instanceof ArrayBuffer ? null : value;
  }
  return plain;
}
