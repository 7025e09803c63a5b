import type { DataRow } from "./column-values";
import type { MigrationPlan } from "./schema-change";
import type { BackupInfo } from "../core/api-shapes/data";
import type { Column, Table } from "../core/api-shapes/data";

/**
 * Shapes that `AppDataStore` methods take and return over RPC (plain data only).
 * Kept apart from the class so the platform API can import them without the runtime.
 */

/** Options of `applySchema`: destructive changes run only when the owner confirmed them. */
export interface ApplySchemaOptions {
  allowDestructive: boolean;
}

/** What `applySchema` did. `changed: false` means the declared schema was already in force. */
export interface ApplySchemaOutcome {
  version: number;
  changed: boolean;
  plan: MigrationPlan;
  /** Backup tables made by this apply (empty unless destructive changes ran). */
  backups: BackupInfo[];
}

/** One column as the admin UI shows it (the API's JSON, core/api-shapes/data.ts). */
export type ColumnDescription = Column;

/** One app table as the admin UI shows it. */
export type TableDescription = Table;

/** Paging and ordering for the admin's table browser (`where` is accepted too, as in `list`). */
export interface AdminListOptions {
  limit?: number;
  offset?: number;
  orderBy?: string;
  order?: "asc" | "desc";
}

/** One page of rows plus the table's total row count, for the admin's table browser. */
export interface RowPage {
  rows: DataRow[];
  total: number;
}

/** Rows returned by `query()`: plain objects of column values. */
export type QueryRow = Record<string, string | number | null>;
