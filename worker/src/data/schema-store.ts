import type { MigrationPlan } from "./schema-change";
import type { AppSchema } from "./schema";
import { BACKUPS_TABLE, BOOKKEEPING_DDL, SCHEMA_TABLE, tableExists } from "./sql-layout";
import type { BackupKind, BackupInfo } from "../core/api-shapes/data";

/** The schema currently in force and its version (0 = nothing applied yet). */
export interface AppliedSchema {
  version: number;
  schema: AppSchema;
}

/** Reads the newest applied schema. Creates nothing, so a never-used or destroyed store stays empty. */
export function loadAppliedSchema(sql: SqlStorage): AppliedSchema {
  if (!tableExists(sql, SCHEMA_TABLE)) return { version: 0, schema: {} };
  const rows = sql
    .exec<{ version: number; tables: string }>(
      `SELECT version, tables FROM ${SCHEMA_TABLE} ORDER BY version DESC LIMIT 1`,
    )
    .toArray();
  const newest = rows[0];
  // Written only by saveAppliedSchema from a normalised schema, so the cast is safe.
  return newest
    ? { version: newest.version, schema: JSON.parse(newest.tables) as AppSchema }
    : { version: 0, schema: {} };
}

/** Makes sure the bookkeeping tables exist; called inside the apply transaction. */
export function ensureBookkeeping(sql: SqlStorage): void {
  for (const statement of BOOKKEEPING_DDL) sql.exec(statement);
}

/** Records a newly applied schema together with the plan that produced it. */
export function saveAppliedSchema(
  sql: SqlStorage,
  version: number,
  schema: AppSchema,
  plan: MigrationPlan,
  appliedAt: string,
): void {
  sql.exec(
    `INSERT INTO ${SCHEMA_TABLE} (version, tables, changes, applied_at) VALUES (?, ?, ?, ?)`,
    version,
    JSON.stringify(schema),
    JSON.stringify([...plan.additive, ...plan.destructive]),
    appliedAt,
  );
}

/** Records one backup table made while applying schema `backup.schemaVersion`. */
export function saveBackup(sql: SqlStorage, backup: BackupInfo): void {
  sql.exec(
    `INSERT INTO ${BACKUPS_TABLE} (name, kind, source_table, source_column, row_count, schema_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    backup.name,
    backup.kind,
    backup.table,
    backup.column,
    backup.rowCount,
    backup.schemaVersion,
    backup.createdAt,
  );
}

interface BackupRecord extends Record<string, SqlStorageValue> {
  name: string;
  kind: string;
  source_table: string;
  source_column: string | null;
  row_count: number;
  schema_version: number;
  created_at: string;
}

/** Every backup table still present, newest first. */
export function listBackups(sql: SqlStorage): BackupInfo[] {
  if (!tableExists(sql, BACKUPS_TABLE)) return [];
  const records = sql.exec<BackupRecord>(`SELECT * FROM ${BACKUPS_TABLE} ORDER BY schema_version DESC, name`).toArray();
  return records
    .filter((record) => tableExists(sql, record.name))
    .map((record) => ({
      name: record.name,
      kind: toBackupKind(record.kind),
      table: record.source_table,
      column: record.source_column,
      rowCount: record.row_count,
      schemaVersion: record.schema_version,
      createdAt: record.created_at,
    }));
}

function toBackupKind(kind: string): BackupKind {
  return kind === "column" || kind === "retyped_column" ? kind : "table";
}
