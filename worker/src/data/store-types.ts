import type { ColumnType } from "../../sdk/kiln/index";
import type { DataRow } from "./column-values";
import type { MigrationPlan } from "./migration-plan";
import type { ColumnDefault } from "./schema";
import type { BackupInfo } from "./schema-store";

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

/** One column as the admin UI shows it. */
export interface ColumnDescription {
  name: string;
  type: ColumnType;
  optional: boolean;
  default: ColumnDefault;
}

/** One app table as the admin UI shows it. */
export interface TableDescription {
  name: string;
  columns: ColumnDescription[];
  rowCount: number;
}

/** The whole database as the admin UI shows it, including data kept after destructive changes. */
export interface DatabaseDescription {
  /** Applied schema version; 0 before the first `applySchema`. */
  version: number;
  tables: TableDescription[];
  backups: BackupInfo[];
}

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
