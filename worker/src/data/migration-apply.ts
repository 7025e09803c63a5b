import type { ColumnType } from "../../sdk/kiln/index";
import { encodeValue } from "./column-values";
import { forgetTableKeys, renameTableKeys } from "./insert-keys";
import type { MigrationPlan, SchemaChange } from "./schema-change";
import type { AppSchema } from "./schema";
import { saveBackup } from "./schema-store";
import type { BackupInfo, BackupKind } from "../core/api-shapes/data";
import { createTableSql, quoteName, SQL_TYPES, tableExists } from "./sql-layout";
import { convertStoredValue } from "./type-conversion";

/**
 * Executes a migration plan's additive and destructive changes. The caller runs this inside
 * `transactionSync`, so any failure rolls everything back.
 *
 * Nothing is ever lost silently. What a destructive change does with the old data:
 * - drop table: the table is renamed to `_kiln_dropped_<table>_<stamp>` with every row intact
 *   (its insert keys are forgotten: a table made later under the name starts with none);
 * - drop column: its non-null values are copied to `_kiln_dropped_<table>__<column>_<stamp>`
 *   as (`row_id`, `value`) before the column is dropped;
 * - change type: the original values are copied to `_kiln_retyped_<table>__<column>_<stamp>`
 *   as (`row_id`, `value`); values that cannot be converted become null in the live table.
 * Each backup is listed in `_kiln_backups` (see `describe().backups`). `<stamp>` is UTC
 * `YYYYMMDDTHHMMSSZ`; a `_2`, `_3`… suffix keeps names unique.
 */
export function applyMigration(
  sql: SqlStorage,
  plan: MigrationPlan,
  declared: AppSchema,
  version: number,
  now: Date,
): BackupInfo[] {
  const context: ApplyContext = { sql, version, now, stamp: compactStamp(now), backups: [] };
  const changes = [...plan.additive, ...plan.destructive];
  for (const kind of APPLY_ORDER) {
    for (const change of changes) {
      if (change.kind === kind) applyChange(context, change, declared);
    }
  }
  return context.backups;
}

/** Drops first (freeing names), then renames, creations, column work; rule changes only fill defaults. */
const APPLY_ORDER: SchemaChange["kind"][] = [
  "drop_table",
  "rename_table",
  "create_table",
  "rename_column",
  "drop_column",
  "change_type",
  "add_column",
  "change_rules",
];

interface ApplyContext {
  sql: SqlStorage;
  version: number;
  now: Date;
  stamp: string;
  backups: BackupInfo[];
}

function applyChange(context: ApplyContext, change: SchemaChange, declared: AppSchema): void {
  const { sql } = context;
  switch (change.kind) {
    case "drop_table": {
      const name = uniqueName(sql, `_kiln_dropped_${change.table}_${context.stamp}`);
      sql.exec(`ALTER TABLE ${quoteName(change.table)} RENAME TO ${quoteName(name)}`);
      recordBackup(context, name, "table", change.table, null, change.rowCount);
      forgetTableKeys(sql, change.table);
      return;
    }
    case "rename_table":
      renameViaTemporaryName(
        sql,
        (from, to) => `ALTER TABLE ${quoteName(from)} RENAME TO ${quoteName(to)}`,
        change.from,
        change.table,
      );
      renameTableKeys(sql, change.from, change.table);
      return;
    case "create_table":
      sql.exec(createTableSql(change.table, declared[change.table] ?? {}));
      return;
    case "rename_column": {
      const table = quoteName(change.table);
      renameViaTemporaryName(
        sql,
        (from, to) => `ALTER TABLE ${table} RENAME COLUMN ${quoteName(from)} TO ${quoteName(to)}`,
        change.from,
        change.column,
      );
      return;
    }
    case "drop_column": {
      backupColumn(context, "column", change.table, change.column);
      sql.exec(`ALTER TABLE ${quoteName(change.table)} DROP COLUMN ${quoteName(change.column)}`);
      return;
    }
    case "change_type":
      retypeColumn(context, change.table, change.column, change.from, change.to);
      if (change.fillEmptyWithDefault) fillEmptyWithDefault(context, declared, change.table, change.column);
      return;
    case "add_column": {
      const column = declared[change.table]?.[change.column];
      if (!column) return;
      sql.exec(
        `ALTER TABLE ${quoteName(change.table)} ADD COLUMN ${quoteName(change.column)} ${SQL_TYPES[column.type]}`,
      );
      if (change.fillWithDefault && column.default !== null) {
        sql.exec(
          `UPDATE ${quoteName(change.table)} SET ${quoteName(change.column)} = ?`,
          encodeValue(column.type, column.default),
        );
      }
      return;
    }
    case "change_rules":
      if (change.fillEmptyWithDefault) fillEmptyWithDefault(context, declared, change.table, change.column);
      return;
  }
}

function fillEmptyWithDefault(context: ApplyContext, declared: AppSchema, table: string, column: string): void {
  const definition = declared[table]?.[column];
  if (!definition || definition.default === null) return;
  const name = quoteName(column);
  context.sql.exec(
    `UPDATE ${quoteName(table)} SET ${name} = ? WHERE ${name} IS NULL`,
    encodeValue(definition.type, definition.default),
  );
}

function retypeColumn(context: ApplyContext, table: string, column: string, from: ColumnType, to: ColumnType): void {
  const { sql } = context;
  const quotedTable = quoteName(table);
  const temporary = quoteName("_kiln_retyping");
  backupColumn(context, "retyped_column", table, column);
  sql.exec(`ALTER TABLE ${quotedTable} ADD COLUMN ${temporary} ${SQL_TYPES[to]}`);
  const stored = sql
    .exec<{ id: number; value: SqlStorageValue }>(
      `SELECT id, ${quoteName(column)} AS value FROM ${quotedTable} WHERE ${quoteName(column)} IS NOT NULL`,
    )
    .toArray();
  for (const row of stored) {
    const converted = convertStoredValue(row.value, from, to);
    if (converted && converted.value !== null)
      sql.exec(`UPDATE ${quotedTable} SET ${temporary} = ? WHERE id = ?`, converted.value, row.id);
  }
  sql.exec(`ALTER TABLE ${quotedTable} DROP COLUMN ${quoteName(column)}`);
  sql.exec(`ALTER TABLE ${quotedTable} RENAME COLUMN ${temporary} TO ${quoteName(column)}`);
}

function backupColumn(context: ApplyContext, kind: BackupKind, table: string, column: string): void {
  const prefix = kind === "retyped_column" ? "_kiln_retyped_" : "_kiln_dropped_";
  const name = uniqueName(context.sql, `${prefix}${table}__${column}_${context.stamp}`);
  context.sql.exec(
    `CREATE TABLE ${quoteName(name)} AS SELECT id AS row_id, ${quoteName(column)} AS value FROM ${quoteName(table)} WHERE ${quoteName(column)} IS NOT NULL`,
  );
  const copied = context.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteName(name)}`).one().n;
  recordBackup(context, name, kind, table, column, copied);
}

function recordBackup(
  context: ApplyContext,
  name: string,
  kind: BackupKind,
  table: string,
  column: string | null,
  rowCount: number,
): void {
  const backup: BackupInfo = {
    name,
    kind,
    table,
    column,
    rowCount,
    schemaVersion: context.version,
    createdAt: context.now.toISOString(),
  };
  saveBackup(context.sql, backup);
  context.backups.push(backup);
}

/** SQLite compares names without regard to case, so a case-only rename goes through a temporary name. */
function renameViaTemporaryName(
  sql: SqlStorage,
  statement: (from: string, to: string) => string,
  from: string,
  to: string,
): void {
  const temporary = "_kiln_renaming";
  sql.exec(statement(from, temporary));
  sql.exec(statement(temporary, to));
}

function uniqueName(sql: SqlStorage, base: string): string {
  let name = base;
  for (let suffix = 2; tableExists(sql, name); suffix += 1) name = `${base}_${suffix}`;
  return name;
}

function compactStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll("-", "")
    .replaceAll(":", "");
}
