import type { ColumnType } from "../../sdk/kiln/index";
import type { TableDefinition } from "./schema";

/**
 * How an app's schema is laid out in the Durable Object's SQLite database.
 * App tables are STRICT tables named exactly as declared, with three system columns;
 * columns have no NOT NULL constraints (SQLite cannot add those to existing tables),
 * so required-ness is enforced by Kiln on every write instead.
 */

/** Kiln's bookkeeping: one row per applied schema version (the newest is current). */
export const SCHEMA_TABLE = "_kiln_schema";

/** Kiln's bookkeeping: one row per backup table made by a destructive change. */
export const BACKUPS_TABLE = "_kiln_backups";

/** Kiln's bookkeeping: the keys of `insert(table, row, { key })`, each with the row it wrote (see `insert-keys.ts`). */
export const INSERT_KEYS_TABLE = "_kiln_insert_keys";

/** SQL column type of each app column type (STRICT tables accept only these). */
export const SQL_TYPES: Record<ColumnType, "TEXT" | "INTEGER" | "REAL"> = {
  text: "TEXT",
  integer: "INTEGER",
  number: "REAL",
  boolean: "INTEGER",
  json: "TEXT",
  datetime: "TEXT",
};

/** SQL expression for "now" in the same format as `Date.prototype.toISOString()`. */
export const NOW_ISO = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** Quotes a table or column name for SQL. Names are validated, but quoting keeps keywords like `order` usable. */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The CREATE TABLE statement for a declared table, system columns first. */
export function createTableSql(table: string, columns: TableDefinition): string {
  const declared = Object.entries(columns).map(([name, column]) => `${quoteName(name)} ${SQL_TYPES[column.type]}`);
  const all = [
    "id INTEGER PRIMARY KEY AUTOINCREMENT",
    `created_at TEXT NOT NULL DEFAULT (${NOW_ISO})`,
    `updated_at TEXT NOT NULL DEFAULT (${NOW_ISO})`,
    ...declared,
  ];
  return `CREATE TABLE ${quoteName(table)} (${all.join(", ")}) STRICT`;
}

/** The DDL for Kiln's bookkeeping tables; safe to run on every schema apply. */
export const BOOKKEEPING_DDL = [
  `CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (
    version INTEGER PRIMARY KEY,
    tables TEXT NOT NULL,
    changes TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS ${BACKUPS_TABLE} (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    source_table TEXT NOT NULL,
    source_column TEXT,
    row_count INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    created_at TEXT NOT NULL
  )`,
];

/**
 * The DDL of the insert-keys table; created on the first keyed insert. `row` is the row as first
 * written (JSON), returned when a retry finds the row deleted; `created_at` ages keys out.
 */
export const INSERT_KEYS_DDL = [
  `CREATE TABLE IF NOT EXISTS ${INSERT_KEYS_TABLE} (
    table_name TEXT NOT NULL,
    key TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    row TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (table_name, key)
  ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS ${INSERT_KEYS_TABLE}_by_age ON ${INSERT_KEYS_TABLE} (created_at)`,
];

/** True when a table with exactly this name exists (app, bookkeeping or backup). */
export function tableExists(sql: SqlStorage, name: string): boolean {
  return sql.exec("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length > 0;
}
